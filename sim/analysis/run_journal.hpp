#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace chiptrail::sim {

// The journal could not be opened or written (a full disk, a directory in its place): an I/O
// error, not a fault of the experiment.
class JournalIoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An append-only record of completed runs, so that an interrupted experiment (Ctrl-C, a time
// limit, kill -9) can resume without losing or repeating a run. The first line identifies the
// experiment; each later line is "id,v1,...,vn,checksum" written with a single write(2), so a
// killed process leaves at most one torn final line, which reading detects by its checksum and
// drops. Values are written as shortest round-trip decimals: reading gives back the exact
// doubles, so resumed outputs are byte-identical to uninterrupted ones.
class RunJournal {
 public:
  // Opens `path` for appending, creating it with `header` as its first line if absent.
  RunJournal(const std::string& path, const std::string& header);
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;
  ~RunJournal();

  void append(std::uint64_t id, const std::vector<double>& values);

  // The runs recorded in `path` (empty if the file does not exist): those with ids below
  // `runs` and exactly `values_per_run` values. A line that is torn, fails its checksum or has
  // another shape is dropped like a torn one (that run reruns). Throws std::runtime_error if
  // the file belongs to another experiment (its header differs).
  static std::map<std::uint64_t, std::vector<double>> read(const std::string& path,
                                                           const std::string& header,
                                                           std::size_t values_per_run,
                                                           std::uint64_t runs);

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace chiptrail::sim
