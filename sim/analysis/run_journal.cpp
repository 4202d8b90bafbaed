#include "sim/analysis/run_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sim/random_stream.hpp"

namespace chiptrail::sim {
namespace {

std::string shortest(double x) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, end);
}

std::string checksum(const std::string& body) {
  char buf[17];
  const auto [end, ec] = std::to_chars(buf, buf + 16, stream_key(body), 16);
  return std::string(buf, end);
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw JournalIoError(path + ": cannot write: " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

RunJournal::RunJournal(const std::string& path, const std::string& header) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw JournalIoError(path + ": cannot open: " + std::strerror(errno));
  if (::lseek(fd_, 0, SEEK_END) == 0) write_all(fd_, header + "\n", path_);
}

RunJournal::~RunJournal() {
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
  }
}

void RunJournal::append(std::uint64_t id, const std::vector<double>& values) {
  std::string body = std::to_string(id);
  for (double v : values) body += "," + shortest(v);
  write_all(fd_, body + "," + checksum(body) + "\n", path_);
}

namespace {

// One record's body, "id,v1,...,vn": its id and values, or nullopt when it is not exactly that.
std::optional<std::pair<std::uint64_t, std::vector<double>>> parse_record(const std::string& body,
                                                                          std::size_t n) {
  const char* p = body.data();
  const char* end = body.data() + body.size();
  std::uint64_t id = 0;
  const auto r = std::from_chars(p, end, id);
  if (r.ec != std::errc() || r.ptr == p) return std::nullopt;
  p = r.ptr;
  std::vector<double> values;
  values.reserve(n);
  while (p < end) {
    if (*p != ',' || values.size() == n) return std::nullopt;
    ++p;
    double v = 0;
    // from_chars does not parse "nan"/"inf" written by to_chars on every library; handle them.
    if (end - p >= 3 && std::strncmp(p, "nan", 3) == 0) {
      v = std::numeric_limits<double>::quiet_NaN();
      p += 3;
    } else if (end - p >= 4 && std::strncmp(p, "-nan", 4) == 0) {
      v = -std::numeric_limits<double>::quiet_NaN();
      p += 4;
    } else {
      const auto rv = std::from_chars(p, end, v);
      if (rv.ec != std::errc() || rv.ptr == p) return std::nullopt;
      p = rv.ptr;
    }
    values.push_back(v);
  }
  if (values.size() != n) return std::nullopt;
  return std::pair{id, std::move(values)};
}

}  // namespace

std::map<std::uint64_t, std::vector<double>> RunJournal::read(const std::string& path,
                                                              const std::string& header,
                                                              std::size_t values_per_run,
                                                              std::uint64_t runs_in_all) {
  std::map<std::uint64_t, std::vector<double>> runs;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return runs;  // no journal yet
  // A device or a FIFO in its place could be endless (/dev/zero): only a regular file is read.
  if (!S_ISREG(st.st_mode)) throw JournalIoError(path + ": is not a regular file");
  std::ifstream in(path);
  if (!in) throw JournalIoError(path + ": cannot open: " + std::strerror(errno));
  std::string line;
  if (!std::getline(in, line)) return runs;
  if (line != header) {
    throw std::runtime_error(path + " belongs to another sweep (or another version of this one)");
  }
  while (std::getline(in, line)) {
    const std::size_t last = line.rfind(',');
    if (last == std::string::npos) continue;
    const std::string body = line.substr(0, last);
    if (line.substr(last + 1) != checksum(body)) continue;  // torn by a kill: that run reruns
    auto record = parse_record(body, values_per_run);
    if (!record || record->first >= runs_in_all) continue;  // malformed: rerun it too
    runs[record->first] = std::move(record->second);
  }
  return runs;
}

}  // namespace chiptrail::sim
