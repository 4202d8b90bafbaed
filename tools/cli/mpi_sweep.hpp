#pragma once

// The MPI backend of `chiptrail sweep`, built with -DCHIPTRAIL_WITH_MPI=ON. Rank 0 coordinates:
// it hands out run ids one at a time to the other ranks and records what they send back
// (serialized chiptrail.v1.RunResult), exactly as the threaded executor records its results,
// so the outputs are byte-identical whatever the number of ranks.

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/experiment/executor.hpp"

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

// An Executor (models/experiment/executor.hpp) over the ranks of the MPI job: rank 0
// coordinates (coordinate_runs), the others compute (serve_runs). A coordinator that never ran
// (an early error) releases the workers when destroyed, so no rank waits forever.
class MpiExecutor final : public models::Executor {
 public:
  explicit MpiExecutor(bool report_counts = true) : report_counts_(report_counts) {}
  ~MpiExecutor() override;
  MpiExecutor(const MpiExecutor&) = delete;
  MpiExecutor& operator=(const MpiExecutor&) = delete;
  void run(const std::vector<std::uint64_t>& ids, const Run& run, const Record& record,
           const Stop& stop) override;
  [[nodiscard]] bool coordinates() const override { return MpiSession::rank() == 0; }
  void share(std::vector<std::vector<double>>& rows) override;

 private:
  bool report_counts_;
  bool ran_ = false;
};

// Rank 0's `rows` to every rank (replacing theirs): after a batch, so that every rank of a
// sequential method (`chiptrail infer`) continues from the same results.
void broadcast_rows(std::vector<std::vector<double>>& rows);

}  // namespace chiptrail::cli
