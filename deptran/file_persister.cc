#include "deptran/file_persister.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace janus {

namespace {

constexpr char kMagic[4] = {'J', 'N', 'S', 'P'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderSize = 24;
constexpr size_t kCrcSize = 4;

std::string ErrnoText(const std::string& what, const std::string& path) {
  return "persister: " + what + " " + path + ": " + std::strerror(errno);
}

void PutLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; i++) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetLe(const std::string& in, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; i++) v |= uint64_t(static_cast<uint8_t>(in[pos + i])) << (8 * i);
  return v;
}

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%08llx", static_cast<unsigned long long>(v));
  return buf;
}

// Owns a file descriptor: closes it when it goes out of scope (e.g. when a save throws), keeping
// errno as it was so that a message built afterwards names the original failure.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      int saved = errno;
      close(fd_);
      errno = saved;
    }
  }
  int get() const { return fd_; }
  // Closes now; returns close()'s result.
  int Close() {
    int rc = close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Creates `dir` and its missing parents (like mkdir -p).
void MakeDirs(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); pos++) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      throw PersisterIoError(ErrnoText("cannot create directory", prefix));
    }
  }
}

// Writes all of `data` to fd, retrying short writes and EINTR.
bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads the whole file at `path` into *out; false if it does not exist.
bool ReadFile(const std::string& path, std::string* out) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return false;
    throw PersisterIoError(ErrnoText("cannot open", path));
  }
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw PersisterIoError(ErrnoText("cannot read", path));
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

uint32_t Crc32(const void* data, size_t len, uint32_t crc) {
  static const auto table = [] {
    struct Table { uint32_t v[256]; } t{};
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t.v[i] = c;
    }
    return t;
  }();
  const uint8_t* p = static_cast<const uint8_t*>(data);
  crc = ~crc;
  for (size_t i = 0; i < len; i++) crc = table.v[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::unique_ptr<FilePersister> FilePersister::Open(const std::string& dir) {
  if (dir.empty()) throw PersisterIoError("persister: empty directory name");
  MakeDirs(dir);
  std::unique_ptr<FilePersister> p(new FilePersister(dir, dir + "/raft.state"));
  std::string image;
  if (!ReadFile(p->path_, &image)) return p;
  auto bad = [&](const std::string& why) { return PersisterError(p->path_ + ": " + why); };
  // The magic first: a file of another kind is "not an image" however short it is.
  if (image.size() >= 4 && std::memcmp(image.data(), kMagic, 4) != 0) {
    throw bad("bad magic 0x" + Hex(GetLe(image, 0, 4)) + " (not a FilePersister image)");
  }
  if (image.size() < kHeaderSize + kCrcSize) {
    throw bad("truncated: " + std::to_string(image.size()) + " bytes, less than the " +
              std::to_string(kHeaderSize + kCrcSize) + " of an empty image");
  }
  uint64_t version = GetLe(image, 4, 4);
  if (version != kVersion) {
    throw bad("format version " + std::to_string(version) + ", this build reads version " +
              std::to_string(kVersion) + " only");
  }
  uint64_t state_len = GetLe(image, 8, 8);
  uint64_t snap_len = GetLe(image, 16, 8);
  uint64_t body = image.size() - kHeaderSize - kCrcSize;
  if (state_len > body || snap_len != body - state_len) {
    throw bad("truncated or damaged: the header announces " + std::to_string(state_len) + "+" +
              std::to_string(snap_len) + " bytes of data, the file holds " +
              std::to_string(body));
  }
  size_t crc_pos = image.size() - kCrcSize;
  uint32_t stored = static_cast<uint32_t>(GetLe(image, crc_pos, 4));
  uint32_t computed = Crc32(image.data(), crc_pos);
  if (stored != computed) {
    throw bad("damaged: checksum mismatch (stored 0x" + Hex(stored) + ", computed 0x" +
              Hex(computed) + ")");
  }
  p->state_ = image.substr(kHeaderSize, state_len);
  p->snapshot_ = image.substr(kHeaderSize + state_len, snap_len);
  return p;
}

void FilePersister::SaveRaftState(const std::string& state) {
  WriteImage(state, snapshot_);
  state_ = state;
}

void FilePersister::SaveStateAndSnapshot(const std::string& state, const std::string& snapshot) {
  WriteImage(state, snapshot);
  state_ = state;
  snapshot_ = snapshot;
}

std::shared_ptr<Persister> FilePersister::Copy() const {
  return std::make_shared<MemoryPersister>(state_, snapshot_);
}

void FilePersister::WriteImage(const std::string& state, const std::string& snapshot) {
  std::string image(kMagic, 4);
  image.reserve(kHeaderSize + state.size() + snapshot.size() + kCrcSize);
  PutLe(&image, kVersion, 4);
  PutLe(&image, state.size(), 8);
  PutLe(&image, snapshot.size(), 8);
  image += state;
  image += snapshot;
  PutLe(&image, Crc32(image.data(), image.size()), 4);
  try {
    WriteImageOnce(image);
  } catch (const PersisterIoError& e) {
    if (failure_handler_) failure_handler_(e.what());
    throw;
  }
}

bool FilePersister::Faulted(IoOp op, const std::string& path) const {
  if (!io_fault_hook_) return false;
  const int err = io_fault_hook_(op, path);
  if (err == 0) return false;
  errno = err;
  return true;
}

void FilePersister::WriteImageOnce(const std::string& image) {
  const std::string tmp = path_ + ".tmp";
  {
    Fd fd(Faulted(IoOp::kCreateTemp, tmp)
              ? -1
              : open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw PersisterIoError(ErrnoText("cannot create", tmp));
    if (Faulted(IoOp::kWriteTemp, tmp) || !WriteAll(fd.get(), image)) {
      throw PersisterIoError(ErrnoText("cannot write", tmp));
    }
    Step(SaveStep::kTempWritten);
    if (Faulted(IoOp::kSyncTemp, tmp) || fsync(fd.get()) != 0) {
      throw PersisterIoError(ErrnoText("cannot fsync", tmp));
    }
    if (Faulted(IoOp::kCloseTemp, tmp) || fd.Close() != 0) {
      throw PersisterIoError(ErrnoText("cannot close", tmp));
    }
  }
  Step(SaveStep::kTempSynced);
  if (Faulted(IoOp::kRename, path_) || rename(tmp.c_str(), path_.c_str()) != 0) {
    throw PersisterIoError(ErrnoText("cannot rename over", path_));
  }
  Step(SaveStep::kRenamed);
  // The rename is durable only once the directory entry is on disk.
  Fd dfd(Faulted(IoOp::kOpenDir, dir_) ? -1
                                        : open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() < 0) throw PersisterIoError(ErrnoText("cannot open directory", dir_));
  if (Faulted(IoOp::kSyncDir, dir_) || fsync(dfd.get()) != 0) {
    throw PersisterIoError(ErrnoText("cannot fsync directory", dir_));
  }
  Step(SaveStep::kDirSynced);
}

}  // namespace janus
