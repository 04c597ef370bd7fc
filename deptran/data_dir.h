// The data directory of a cluster-mode site (deptran_server --data-dir DIR, default
// ./data/<site>) and what the launcher says when it cannot use it. DIR holds:
//
//   DIR/raft.state      the site's Raft state and snapshot, one FilePersister image
//                       (format and crash safety: deptran/file_persister.h)
//   DIR/raft.state.tmp  only during a save, or left by a crash during one (ignored, overwritten)
//   DIR/LOCK            empty; flock-ed by the process using DIR, so two never share it
//
// A DIR that cannot be read back stops the server before it serves, with exit code 1 and one
// line on stderr naming the file, the problem and the way out (wrapped here):
//
//   deptran_server: site kv0 cannot start: ./data/kv0/raft.state: bad magic 0x50534e58 (not a
//   FilePersister image); move the file away, or delete the data directory ./data/kv0 to start
//   the site empty
//
// The same goes for state the lab's own code cannot decode at start-up (its ReadPersist throwing
// PersisterError, or rrr::MarshalError from decoding). I/O errors (permissions, a full disk) get
// the system's reason instead of that advice.
#pragma once

#include <exception>
#include <memory>
#include <string>

#include "deptran/file_persister.h"

namespace janus {

// Takes an exclusive advisory lock (flock) on <dir>/LOCK, so that two processes never share a
// data directory. Returns the descriptor holding it (closing it, or the process ending, releases
// the lock), or -1 with *error set if the directory is locked by another process or unusable.
// REQUIRES: `dir` exists.
int LockDataDir(const std::string& dir, std::string* error);

// `problem` (which names the file) followed by the advice for a data directory whose contents
// cannot be read back: "<problem>; move the file away, or delete the data directory <dir> to
// start the site empty".
std::string UnreadableDataMessage(const std::string& dir, const std::string& problem);

// Opens the persister kept in `dir` (creating the directory if needed). On failure returns
// nullptr and sets *error to one line: the I/O error, or for a file that is not a readable image
// UnreadableDataMessage naming it.
std::unique_ptr<FilePersister> OpenDataDir(const std::string& dir, std::string* error);

// One line saying why a site could not start, from what its lab's factory threw. A
// PersisterError that is not a PersisterIoError, or an rrr::MarshalError, means the lab could
// not decode what it saved in `data_file` (in `dir`): the line names the file and gives
// UnreadableDataMessage's advice. Anything else is its what() as is.
std::string DescribeStartFailure(const std::exception& e, const std::string& dir,
                                 const std::string& data_file);

}  // namespace janus
