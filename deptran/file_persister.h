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
// raft.state and fsyncs the directory, so a crash at any point leaves either the old file or the
// new one. The price is that SaveRaftState rewrites the snapshot too; snapshots in these labs
// are small, and one file keeps the atomicity argument trivial. A stale .tmp left by a crash is
// ignored and overwritten by the next save.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "deptran/persister.h"

namespace janus {

class FilePersister : public Persister {
 public:
  // Opens (creating the directory and its parents if needed) the persister stored in `dir` and
  // loads its current contents; an absent file means empty state and snapshot.
  // Throws PersisterError on I/O errors or a corrupt file (bad magic, version, lengths or CRC).
  static std::unique_ptr<FilePersister> Open(const std::string& dir);

  // The saves write the file as described above; they throw PersisterError on I/O errors, in
  // which case the in-memory view keeps the previous values.
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

 private:
  FilePersister(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
  void WriteImage(const std::string& state, const std::string& snapshot);

  std::string dir_;
  std::string path_;
  std::string state_;
  std::string snapshot_;
};

// CRC-32 (IEEE 802.3, as in zlib) of `len` bytes, continuing from `crc` (0 to start).
uint32_t Crc32(const void* data, size_t len, uint32_t crc = 0);

}  // namespace janus
