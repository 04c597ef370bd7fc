// The data directory of a cluster-mode site (deptran_server --data-dir DIR, default
// ./data/<site>) and what the launcher says when it cannot use it. DIR holds:
//
//   DIR/raft.state      the site's Raft state and snapshot, one FilePersister image
//                       (format and crash safety: deptran/file_persister.h)
//   DIR/raft.state.tmp  only during a save, or left by a crash during one (ignored, overwritten)
//   DIR/LOCK            empty, kept for tools that look for it; the lock itself is an flock on
//                       an open descriptor of DIR (the directory, not a path inside it), so
//                       deleting LOCK cannot let a second process start on DIR
//
// A DIR that cannot be read back stops the server before it serves, with exit code 1 and one
// line on stderr naming the file, the problem and the way out (wrapped here):
//
//   deptran_server: site kv0 cannot start: ./data/kv0/raft.state: bad magic 0x50534e58 (not a
//   FilePersister image); move the file away, or delete the data directory ./data/kv0 to start
//   the site empty
//
// The same goes for state the lab's own code cannot decode at start-up (its ReadPersist throwing
// PersisterError, rrr::MarshalError from decoding, or a failed verify in the code restoring the
// state or snapshot). I/O errors (permissions, a full disk) get the system's reason instead of
// that advice.
//
// Fail-stop: once the site serves, a save that fails (cannot create, write, fsync or rename,
// e.g. EMFILE, ENOSPC, EIO) ends the process at once with exit code 1 and one line, e.g.
//
//   deptran_server: site kv0 stops: persister: cannot create ./data/kv0/raft.state.tmp: Too many
//   open files; it answers nothing more, since it cannot make its state durable (fail-stop): fix
//   the cause and restart the site, which resumes from its last durable save
//
// so nothing that save should have made durable is ever acknowledged.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "deptran/file_persister.h"

namespace janus {

// Takes an exclusive advisory lock (flock) on an open descriptor of the directory `dir` itself
// (and creates the empty marker file <dir>/LOCK), so that two processes never share a data
// directory. Returns the descriptor holding it (closing it, or the process ending, releases the
// lock), or -1 with *error set if the directory is locked by another process or unusable.
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

// An exception that escaped one of a site's coroutines while the site started (the reactor's
// crash handler only has its what()); the launcher rethrows it as this.
class StartCrash : public std::runtime_error {
 public:
  explicit StartCrash(const std::string& what) : std::runtime_error(what) {}
};

// One line saying why a site could not start, from what its lab's factory threw. A
// PersisterError that is not a PersisterIoError, or an rrr::MarshalError, means the lab could
// not decode what it saved in `data_file` (in `dir`); with `has_saved_state` (the file held a
// state or snapshot) so does an rrr::VerifyError or a StartCrash: the line names the file and
// gives UnreadableDataMessage's advice. Anything else is its what() as is.
std::string DescribeStartFailure(const std::exception& e, const std::string& dir,
                                 const std::string& data_file, bool has_saved_state = true);

// The line deptran_server prints when a save fails while it runs (fail-stop, above): `message`
// is the PersisterIoError's, which names the file and the errno text.
std::string FailStopMessage(const std::string& prog, const std::string& site,
                            const std::string& message);

}  // namespace janus
