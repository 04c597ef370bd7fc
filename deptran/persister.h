// Durable storage of a Raft peer: its persistent state and its latest snapshot, as opaque bytes.
//
// Persister is the interface the labs use. MemoryPersister (here) is what the test harness gives
// each node: it outlives a simulated crash, and a restarted node gets a Copy() of it, so writes
// that a crashed instance might still make never reach the restarted one. FilePersister
// (deptran/file_persister.h) keeps the same data on disk for cluster mode.
//
// Not thread-safe: a persister is used from its node's reactor thread only.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

namespace janus {

// A file-backed persister's I/O failure (PersisterIoError, deptran/file_persister.h) or unreadable
// file; also what a lab's ReadPersist throws on saved bytes it cannot decode (deptran_server
// then stops with one line naming the file: deptran/data_dir.h).
class PersisterError : public std::runtime_error {
 public:
  explicit PersisterError(const std::string& what) : std::runtime_error(what) {}
};

class Persister {
 public:
  virtual ~Persister() = default;

  // Replaces the Raft state; the snapshot is kept. Durable when it returns.
  virtual void SaveRaftState(const std::string& state) = 0;
  // Replaces the Raft state and the snapshot together, atomically: after a crash a reader sees
  // both old values or both new ones. Durable when it returns.
  virtual void SaveStateAndSnapshot(const std::string& state, const std::string& snapshot) = 0;

  // The last saved Raft state; empty if none was ever saved.
  virtual std::string ReadRaftState() const = 0;
  // Size in bytes of ReadRaftState() (what the labs' size limits measure).
  virtual size_t RaftStateSize() const = 0;
  // The last saved snapshot; empty if none was ever saved.
  virtual std::string ReadSnapshot() const = 0;
  // Size in bytes of ReadSnapshot().
  virtual size_t SnapshotSize() const = 0;

  // A new, independent in-memory persister holding the same state and snapshot. Later saves to
  // either one do not affect the other.
  virtual std::shared_ptr<Persister> Copy() const = 0;
};

// Keeps both byte strings in memory.
class MemoryPersister : public Persister {
 public:
  MemoryPersister() = default;
  MemoryPersister(std::string state, std::string snapshot)
      : state_(std::move(state)), snapshot_(std::move(snapshot)) {}

  void SaveRaftState(const std::string& state) override { state_ = state; }
  void SaveStateAndSnapshot(const std::string& state, const std::string& snapshot) override {
    state_ = state;
    snapshot_ = snapshot;
  }
  std::string ReadRaftState() const override { return state_; }
  size_t RaftStateSize() const override { return state_.size(); }
  std::string ReadSnapshot() const override { return snapshot_; }
  size_t SnapshotSize() const override { return snapshot_.size(); }
  std::shared_ptr<Persister> Copy() const override;

 private:
  std::string state_;
  std::string snapshot_;
};

}  // namespace janus
