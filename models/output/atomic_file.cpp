#include "models/output/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace chiptrail::models {
namespace {

[[noreturn]] void fail(const std::string& path, const char* what, int error) {
  throw std::runtime_error(path + ": " + what + ": " + std::strerror(error));
}

void write_all(int fd, const std::string& path, const std::string& contents) {
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "cannot write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

// The directory part and the name part of a path ("." for a bare name).
std::pair<std::string, std::string> split_path(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Removes temporaries of `name` left in `dir` by runs killed before their rename: regular
// files named NAME.tmp.XXXXXX (links and anything else are left alone).
void remove_stale_temporaries(const std::string& dir, const std::string& name) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  const std::string prefix = name + ".tmp.";
  std::vector<std::string> stale;
  while (const dirent* e = ::readdir(d)) {
    const std::string entry = e->d_name;
    if (entry.size() == prefix.size() + 6 && entry.compare(0, prefix.size(), prefix) == 0) {
      stale.push_back(entry);
    }
  }
  ::closedir(d);
  for (const std::string& entry : stale) {
    const std::string full = dir + "/" + entry;
    struct stat st {};
    if (::lstat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(full.c_str());
  }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  // An existing device or FIFO (--trace /dev/stdout, /dev/null) is written to as it is, never
  // replaced by a regular file; a directory or anything else is refused.
  struct stat target {};
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    if (!S_ISCHR(target.st_mode) && !S_ISFIFO(target.st_mode)) {
      throw std::runtime_error(path + ": is not a regular file, a device or a FIFO");
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) fail(path, "cannot open", errno);
    try {
      write_all(fd, path, contents);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) fail(path, "cannot close", errno);
    return;
  }
  // A temporary with an unpredictable name, created exclusively (O_EXCL: never through a link
  // planted in its place) beside the target, flushed, then renamed over it. A symbolic link at
  // the target itself is replaced, not followed.
  const auto [dir, name] = split_path(path);
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) fail(path, "cannot create a temporary file beside it", errno);
  const auto abandon = [&](const char* what, int error) {
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(path, what, error);
  };
  // mkostemp creates 0600; outputs are for reading by others too, as open(0644) made them.
  if (::fchmod(fd, 0644) != 0) abandon("cannot set permissions", errno);
  try {
    write_all(fd, path, contents);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::fsync(fd) != 0) abandon("cannot flush", errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail(path, "cannot close", error);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail(path, "cannot rename into place", error);
  }
  remove_stale_temporaries(dir, name);
}

}  // namespace chiptrail::models
