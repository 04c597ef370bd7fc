// A Persister kept on disk, for cluster mode (one process per site).
//
// On-disk format: one file, <dir>/raft.state, holding both byte strings, so saving the state and
// the snapshot together is a single atomic rename (no manifest needed):
//
//   offset  size  field
//   0       4     magic "JNSP"
//   4       4     format version, u32 little-endian (1)
//   8       8     state length S, u64 little-endian
//   16      8     snapshot length N, u64 little-endian
//   24      S     state bytes
//   24+S    N     snapshot bytes
//   24+S+N  4     CRC-32 (IEEE, reflected 0xEDB88320) of bytes [0, 24+S+N), u32 little-endian
//
// Every save writes the whole image to <dir>/raft.state.tmp, fsyncs it, renames it over
// raft.state and fsyncs the directory (the SaveStep values below, in order), so a crash at any
// point leaves either the old file or the new one: before the rename a reader sees the old state
// and the old snapshot, after it the new state and the new snapshot, never one of each. The
// price is that SaveRaftState rewrites the snapshot too; snapshots in these labs are small, and
// one file keeps the atomicity argument trivial. A stale .tmp left by a crash is ignored and
// overwritten by the next save.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "deptran/persister.h"

namespace janus {

// A file-backed persister could not use the disk (create, open, read, write, fsync, rename):
// the data, if any, is not known to be bad. Any other PersisterError from FilePersister means
// the file exists but is not a readable image (bad magic, unknown version, truncated, bad CRC).
class PersisterIoError : public PersisterError {
 public:
  explicit PersisterIoError(const std::string& what) : PersisterError(what) {}
};

class FilePersister : public Persister {
 public:
  // The steps of one save, in the order they happen (see the format comment above).
  enum class SaveStep {
    kTempWritten,  // the image is written to raft.state.tmp, not yet fsynced
    kTempSynced,   // raft.state.tmp is fsynced and closed
    kRenamed,      // raft.state.tmp has replaced raft.state
    kDirSynced,    // the directory is fsynced: the save is durable
  };
  // Called after each step of every save. Test seam: a hook that throws stops the save at that
  // step, as a crash of the process there would (what is on disk stays as it is).
  using SaveHook = std::function<void(SaveStep)>;
  // The system calls of a save, for fault injection.
  enum class IoOp { kCreateTemp, kWriteTemp, kSyncTemp, kCloseTemp, kRename, kOpenDir, kSyncDir };
  // Test seam (an Env-style fault hook): called before each system call of a save; a non-zero
  // return is an errno, and the call fails with it instead of running (e.g. ENOSPC, EIO, EMFILE).
  using IoFaultHook = std::function<int(IoOp op, const std::string& path)>;
  // Called with the one-line PersisterIoError message (naming the file and the errno text) when
  // a save fails, before the error is thrown. deptran_server's handler never returns: it prints
  // the line and exits (fail-stop), so that nothing the failed save should have made durable is
  // ever acknowledged (deptran/launcher.h).
  using FailureHandler = std::function<void(const std::string& message)>;

  // Opens (creating the directory and its parents if needed) the persister stored in `dir` and
  // loads its current contents; an absent file means empty state and snapshot.
  // Throws PersisterIoError on I/O errors and PersisterError on a file that is not a readable
  // image; the message names the file and what is wrong with it.
  static std::unique_ptr<FilePersister> Open(const std::string& dir);

  // The saves write the file as described above; they throw PersisterIoError on I/O errors
  // (after calling the failure handler, if any) or whatever the save hook throws, in which case
  // the in-memory view keeps the previous values.
  void SaveRaftState(const std::string& state) override;
  void SaveStateAndSnapshot(const std::string& state, const std::string& snapshot) override;
  // Reads are served from memory (the file is read once, by Open).
  std::string ReadRaftState() const override { return state_; }
  size_t RaftStateSize() const override { return state_.size(); }
  std::string ReadSnapshot() const override { return snapshot_; }
  size_t SnapshotSize() const override { return snapshot_.size(); }
  // A detached MemoryPersister with the same contents (it does not write to `dir`).
  std::shared_ptr<Persister> Copy() const override;

  // Path of the data file, <dir>/raft.state.
  const std::string& path() const { return path_; }
  // Installs (or, with an empty function, removes) the hook called after each save step.
  void set_save_hook(SaveHook hook) { save_hook_ = std::move(hook); }
  // Installs (or, with an empty function, removes) the fault hook of every save's system calls.
  void set_io_fault_hook(IoFaultHook hook) { io_fault_hook_ = std::move(hook); }
  // Installs (or, with an empty function, removes) the handler of a failed save.
  void set_failure_handler(FailureHandler handler) { failure_handler_ = std::move(handler); }

 private:
  FilePersister(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
  // Saves the image, reporting a PersisterIoError to the failure handler before it is thrown.
  void WriteImage(const std::string& state, const std::string& snapshot);
  void WriteImageOnce(const std::string& image);
  // True (with errno set) if the fault hook fails `op` on `path`.
  bool Faulted(IoOp op, const std::string& path) const;
  void Step(SaveStep step) const {
    if (save_hook_) save_hook_(step);
  }

  std::string dir_;
  std::string path_;
  std::string state_;
  std::string snapshot_;
  SaveHook save_hook_;
  IoFaultHook io_fault_hook_;
  FailureHandler failure_handler_;
};

// CRC-32 (IEEE 802.3, as in zlib) of `len` bytes, continuing from `crc` (0 to start).
uint32_t Crc32(const void* data, size_t len, uint32_t crc = 0);

}  // namespace janus
