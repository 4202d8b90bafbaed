#include "cli/mpi_sweep.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include "chiptrail/v1/results.pb.h"

namespace chiptrail::cli {
namespace {

enum Tag : int { kResult = 1, kWork = 2, kStop = 3 };

}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  MPI_Init(&argc, &argv);
}
MpiSession::~MpiSession() {
  MPI_Finalize();
}

int MpiSession::rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int MpiSession::size() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

void coordinate_runs(const std::vector<std::uint64_t>& todo,
                     const std::function<void(std::uint64_t, std::vector<double>)>& done,
                     const std::function<bool()>& stop, bool report_counts) {
  const int ranks = MpiSession::size();
  // Each worker holds up to two runs, so the next id is already waiting when it finishes one;
  // MPI keeps messages between two ranks in order, so a stop sent after the last id is seen
  // after it.
  constexpr int kDepth = 2;
  std::vector<int> outstanding(static_cast<std::size_t>(ranks), 0);
  std::vector<std::uint64_t> done_by(static_cast<std::size_t>(ranks), 0);
  std::vector<bool> stopped(static_cast<std::size_t>(ranks), false);
  int stopped_count = 0, in_flight = 0;
  std::size_t next = 0;
  const auto feed = [&](int w) {
    const auto i = static_cast<std::size_t>(w);
    while (outstanding[i] < kDepth && !stopped[i]) {
      if (next < todo.size() && !stop()) {
        const std::uint64_t id = todo[next++];
        MPI_Send(&id, 1, MPI_UINT64_T, w, kWork, MPI_COMM_WORLD);
        ++outstanding[i];
        ++in_flight;
      } else {
        MPI_Send(nullptr, 0, MPI_BYTE, w, kStop, MPI_COMM_WORLD);
        stopped[i] = true;
        ++stopped_count;
      }
    }
  };
  std::string buffer;
  // Every worker first sends an empty result ("ready"), then one per run it was given.
  while (stopped_count < ranks - 1 || in_flight > 0) {
    // Poll rather than block: Open MPI's blocking probe spins, and the coordinator would take a
    // core from the workers (with -np 3 on 2 cores, a third of the machine).
    MPI_Status status;
    for (int flag = 0, idle = 0;; ++idle) {
      MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &flag, &status);
      if (flag != 0) break;
      if (idle > 100) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    int bytes = 0;
    MPI_Get_count(&status, MPI_BYTE, &bytes);
    buffer.resize(static_cast<std::size_t>(bytes));
    MPI_Recv(buffer.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (bytes > 0) {
      v1::RunResult result;
      if (!result.ParseFromString(buffer)) {
        std::fprintf(stderr, "chiptrail: rank %d sent an unreadable result\n", status.MPI_SOURCE);
        MPI_Abort(MPI_COMM_WORLD, 70);
      }
      std::vector<double> values;
      values.reserve(static_cast<std::size_t>(result.metrics_size()));
      for (const v1::Metric& m : result.metrics()) values.push_back(m.value());
      done(result.run_id(), std::move(values));
      --outstanding[static_cast<std::size_t>(status.MPI_SOURCE)];
      ++done_by[static_cast<std::size_t>(status.MPI_SOURCE)];
      --in_flight;
    }
    feed(status.MPI_SOURCE);
  }
  if (!todo.empty() && report_counts) {
    std::string line = "chiptrail sweep: runs done by worker ranks:";
    for (int w = 1; w < ranks; ++w)
      line += " " + std::to_string(done_by[static_cast<std::size_t>(w)]);
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

void serve_runs(const std::function<std::vector<double>(std::uint64_t)>& run) {
  const std::string ready;
  MPI_Send(ready.data(), 0, MPI_BYTE, 0, kResult, MPI_COMM_WORLD);
  for (;;) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kStop) {
      MPI_Recv(nullptr, 0, MPI_BYTE, 0, kStop, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      return;
    }
    std::uint64_t id = 0;
    MPI_Recv(&id, 1, MPI_UINT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    v1::RunResult result;
    result.set_run_id(id);
    try {
      for (const double v : run(id)) result.add_metrics()->set_value(v);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "chiptrail: rank %d, run %llu: %s\n", MpiSession::rank(),
                   static_cast<unsigned long long>(id), e.what());
      MPI_Abort(MPI_COMM_WORLD, 70);
    }
    const std::string payload = result.SerializeAsString();
    MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, 0, kResult,
             MPI_COMM_WORLD);
  }
}

void broadcast_rows(std::vector<std::vector<double>>& rows) {
  // Sizes first (rows, then each row's length), then the values end to end.
  std::vector<std::uint64_t> sizes{rows.size()};
  for (const auto& r : rows) sizes.push_back(r.size());
  std::uint64_t count = sizes.size();
  MPI_Bcast(&count, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  sizes.resize(count);
  MPI_Bcast(sizes.data(), static_cast<int>(count), MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::vector<double> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  std::uint64_t total = flat.size();
  MPI_Bcast(&total, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  flat.resize(total);
  MPI_Bcast(flat.data(), static_cast<int>(total), MPI_DOUBLE, 0, MPI_COMM_WORLD);
  rows.assign(sizes[0], {});
  std::size_t at = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto n = static_cast<std::size_t>(sizes[i + 1]);
    rows[i].assign(flat.begin() + static_cast<std::ptrdiff_t>(at),
                   flat.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
}

MpiExecutor::~MpiExecutor() {
  if (coordinates() && !ran_) {
    coordinate_runs(
        {}, [](std::uint64_t, std::vector<double>) {}, [] { return true; }, false);
  }
}

void MpiExecutor::run(const std::vector<std::uint64_t>& ids, const Run& run, const Record& record,
                      const Stop& stop) {
  ran_ = true;
  if (coordinates()) {
    coordinate_runs(ids, record, stop, report_counts_);
  } else {
    serve_runs(run);
  }
}

void MpiExecutor::share(std::vector<std::vector<double>>& rows) {
  broadcast_rows(rows);
}

}  // namespace chiptrail::cli
