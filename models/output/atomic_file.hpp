#pragma once

#include <string>

namespace chiptrail::models {

// Writes `contents` to `path` atomically: into a temporary file beside it (an unpredictable
// name, created exclusively, so a link planted there is never followed), flushed to disk, then
// renamed over the target. A reader (or a run killed midway) sees the old file or the new one,
// never a torn one; temporaries that killed runs left behind are removed. An existing device or
// FIFO at `path` is written to directly, never replaced; a directory is refused. Throws
// std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace chiptrail::models
