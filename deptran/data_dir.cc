#include "deptran/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rrr/base/verify.h"
#include "rrr/marshal/buffer.h"

namespace janus {

int LockDataDir(const std::string& dir, std::string* error) {
  const std::string marker = dir + "/LOCK";
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open " + dir + ": " + strerror(errno);
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    *error = errno == EWOULDBLOCK ? dir + " is in use by another process (the directory is locked)"
                                  : "cannot lock " + dir + ": " + strerror(errno);
    close(fd);
    return -1;
  }
  // The marker only tells a person looking at DIR that it belongs to a server; the lock is fd's.
  int marker_fd = open(marker.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (marker_fd < 0) {
    *error = "cannot create " + marker + ": " + strerror(errno);
    close(fd);
    return -1;
  }
  close(marker_fd);
  return fd;
}

std::string UnreadableDataMessage(const std::string& dir, const std::string& problem) {
  return problem + "; move the file away, or delete the data directory " + dir +
         " to start the site empty";
}

std::unique_ptr<FilePersister> OpenDataDir(const std::string& dir, std::string* error) {
  try {
    return FilePersister::Open(dir);
  } catch (const PersisterIoError& e) {
    *error = std::string("data dir ") + dir + ": " + e.what();
  } catch (const PersisterError& e) {  // the file is there but is not a readable image
    *error = UnreadableDataMessage(dir, e.what());
  }
  return nullptr;
}

std::string DescribeStartFailure(const std::exception& e, const std::string& dir,
                                 const std::string& data_file, bool has_saved_state) {
  const bool undecodable =
      (dynamic_cast<const PersisterError*>(&e) != nullptr &&
       dynamic_cast<const PersisterIoError*>(&e) == nullptr) ||
      dynamic_cast<const rrr::MarshalError*>(&e) != nullptr;
  const bool failed_restoring =
      has_saved_state && (dynamic_cast<const rrr::VerifyError*>(&e) != nullptr ||
                          dynamic_cast<const StartCrash*>(&e) != nullptr);
  if (!undecodable && !failed_restoring) return e.what();
  return UnreadableDataMessage(
      dir, data_file + ": the lab cannot decode the state or snapshot saved in it (" + e.what() +
               "); it was written by another version of the lab's code, or is damaged");
}

std::string FailStopMessage(const std::string& prog, const std::string& site,
                            const std::string& message) {
  return prog + ": site " + site + " stops: " + message +
         "; it answers nothing more, since it cannot make its state durable (fail-stop): fix the "
         "cause and restart the site, which resumes from its last durable save";
}

}  // namespace janus
