#include "deptran/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rrr/marshal/buffer.h"

namespace janus {

int LockDataDir(const std::string& dir, std::string* error) {
  const std::string path = dir + "/LOCK";
  int fd = open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot open " + path + ": " + strerror(errno);
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    *error = errno == EWOULDBLOCK ? dir + " is in use by another process (" + path + " is locked)"
                                  : "cannot lock " + path + ": " + strerror(errno);
    close(fd);
    return -1;
  }
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
                                 const std::string& data_file) {
  const bool undecodable =
      (dynamic_cast<const PersisterError*>(&e) != nullptr &&
       dynamic_cast<const PersisterIoError*>(&e) == nullptr) ||
      dynamic_cast<const rrr::MarshalError*>(&e) != nullptr;
  if (!undecodable) return e.what();
  return UnreadableDataMessage(
      dir, data_file + ": the lab cannot decode the state or snapshot saved in it (" + e.what() +
               "); it was written by another version of the lab's code, or is damaged");
}

}  // namespace janus
