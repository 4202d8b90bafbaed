// The sweep journal: what a killed or tampered file gives back on resume.
#include "sim/analysis/run_journal.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/random_stream.hpp"

using namespace chiptrail;

namespace {

// A record line as the journal writes it, with a valid checksum over whatever body is given.
std::string signed_line(const std::string& body) {
  char sum[17];
  std::snprintf(sum, sizeof sum, "%llx", static_cast<unsigned long long>(sim::stream_key(body)));
  return body + "," + sum + "\n";
}

}  // namespace

TEST_CASE("run journal: exact values back; torn, malformed and foreign records are dropped") {
  const std::string path =
      std::filesystem::temp_directory_path().string() + "/journal_" + std::to_string(::getpid());
  std::filesystem::remove(path);
  {
    sim::RunJournal j(path, "header v1");
    j.append(0, {0.1, 1e-300, std::nan("")});
    j.append(2, {3, 4, 5});
  }
  {
    std::ofstream out(path, std::ios::app);
    out << signed_line("1,7,8");      // too few values, checksum valid
    out << signed_line("3,1,2,3,4");  // too many
    out << signed_line("4,1,2,3");    // an id past the runs there are
    out << signed_line("5,1,x,3");    // not a number
    out << signed_line(",1,2,3");     // no id
    out << signed_line("6,1,,3");     // an empty value
    out << "7,1,2,3,deadbeef\n";      // a bad checksum
    out << "8,1,2";                   // torn by a kill
  }
  const auto runs = sim::RunJournal::read(path, "header v1", 3, 4);
  REQUIRE(runs.size() == 2);
  CHECK(runs.at(0)[0] == 0.1);
  CHECK(runs.at(0)[1] == 1e-300);
  CHECK(std::isnan(runs.at(0)[2]));
  CHECK(runs.at(2) == std::vector<double>{3, 4, 5});
  CHECK_THROWS_AS(sim::RunJournal::read(path, "another sweep", 3, 4), std::runtime_error);
  std::filesystem::remove(path);
}
