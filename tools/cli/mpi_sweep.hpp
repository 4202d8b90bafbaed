#pragma once

// The MPI backend of `chiptrail sweep`, built with -DCHIPTRAIL_WITH_MPI=ON. Rank 0 coordinates:
// it hands out run ids one at a time to the other ranks and records what they send back
// (serialized chiptrail.v1.RunResult), exactly as the threaded executor records its results,
// so the outputs are byte-identical whatever the number of ranks.

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace chiptrail::cli {

// MPI_Init / MPI_Finalize for the life of the program.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  [[nodiscard]] static int rank();
  [[nodiscard]] static int size();
};

// Coordinator side (rank 0): distributes `todo` to the workers; done(id, values) is called for
// each result; stops handing out work once stop() is true. Returns when every worker has been
// told to stop.
// With `report_counts`, prints how many runs each worker rank did.
void coordinate_runs(const std::vector<std::uint64_t>& todo,
                     const std::function<void(std::uint64_t, std::vector<double>)>& done,
                     const std::function<bool()>& stop, bool report_counts = true);

// Worker side (ranks > 0): asks for runs, computes them with `run`, sends the results back.
void serve_runs(const std::function<std::vector<double>(std::uint64_t)>& run);

// Rank 0's `rows` to every rank (replacing theirs): after a batch, so that every rank of a
// sequential method (`chiptrail infer`) continues from the same results.
void broadcast_rows(std::vector<std::vector<double>>& rows);

}  // namespace chiptrail::cli
