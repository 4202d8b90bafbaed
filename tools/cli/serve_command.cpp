#include "cli/serve_command.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/exit_codes.hpp"
#include "cli/limit_options.hpp"
#include "cli/load_scenario.hpp"
#include "explorer/explorer_api.hpp"
#include "explorer/run_manager.hpp"

namespace chiptrail::cli {
namespace {

constexpr std::size_t kConnections = 64;  // served at once

struct ServeOptions {
  std::string scenario;
  std::string host = "127.0.0.1";
  std::vector<std::string> allowed_hosts;  // names besides loopback that requests may use
  int port = 8080;
  unsigned max_running = 2;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::uint32_t max_replications = 20000;  // a running run holds every replication's metrics
  std::string assets;
  models::ResourceLimits limits;
};

// The page's files: --assets, else the `explorer` folder the build puts beside the binary.
std::filesystem::path assets_of(const ServeOptions& o) {
  if (!o.assets.empty()) return o.assets;
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("explorer") : exe.parent_path() / "explorer";
}

// Blocks SIGINT and SIGTERM in this thread and every thread started after (the server's and the
// runs'), so that one waiting thread receives them; restores the mask when done.
class SignalsToWaiter {
 public:
  SignalsToWaiter() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  SignalsToWaiter(const SignalsToWaiter&) = delete;
  SignalsToWaiter& operator=(const SignalsToWaiter&) = delete;
  ~SignalsToWaiter() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  // Waits for SIGINT or SIGTERM (to the process, or sent to this waiting thread).
  void wait() const {
    int received = 0;
    sigwait(&set_, &received);
  }

 private:
  sigset_t set_{};
  sigset_t previous_{};
};

// What a request must show to be served. The page and its API are for the browser on this
// machine: a request naming another Host (DNS rebinding) or coming from another Origin (a
// cross-site form or fetch) is refused, and requests with a body must be JSON, which a
// cross-site page cannot send without a preflight this server never grants.
class RequestGuard {
 public:
  RequestGuard(const ServeOptions& o, int port) {
    for (const std::string& name :
         {std::string("127.0.0.1"), std::string("localhost"), std::string("[::1]"), o.host}) {
      hosts_.push_back(name + ":" + std::to_string(port));
    }
    for (const std::string& name : o.allowed_hosts)
      hosts_.push_back(name + ":" + std::to_string(port));
  }

  // Empty when the request may be served, else why not (with the status to answer).
  [[nodiscard]] std::pair<int, std::string> refuse(const httplib::Request& req) const {
    const std::string host = req.get_header_value("Host");
    if (std::find(hosts_.begin(), hosts_.end(), host) == hosts_.end()) {
      return {403, "this server answers requests for " + hosts_.front() + ", not " +
                       (host.empty() ? "a request without Host" : host.substr(0, 64))};
    }
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      if (origin.rfind("http://", 0) != 0 ||
          std::find(hosts_.begin(), hosts_.end(), origin.substr(7)) == hosts_.end()) {
        return {403, "cross-origin requests are refused"};
      }
    }
    // Checked before the body is read: a request that declares one must declare it JSON.
    const std::string length = req.get_header_value("Content-Length");
    const bool with_body =
        (!length.empty() && length != "0") || req.has_header("Transfer-Encoding");
    if (with_body && req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return {415, "send JSON (Content-Type: application/json)"};
    }
    return {0, ""};
  }

 private:
  std::vector<std::string> hosts_;
};

// A file of the page, or nullopt: only regular files inside `assets` (after resolving links),
// by a path without NUL bytes or `..`.
std::optional<std::filesystem::path> asset_file(const std::filesystem::path& assets,
                                                const std::string& request_path) {
  if (request_path.find('\0') != std::string::npos || request_path.empty() ||
      request_path.front() != '/') {
    return std::nullopt;
  }
  const std::string relative = request_path == "/" ? "index.html" : request_path.substr(1);
  const std::filesystem::path wanted(relative);
  for (const auto& part : wanted) {
    if (part == ".." || part == ".") return std::nullopt;
  }
  std::error_code ec;
  const std::filesystem::path root = std::filesystem::canonical(assets, ec);
  if (ec) return std::nullopt;
  const std::filesystem::path file = std::filesystem::canonical(root / wanted, ec);
  if (ec || !std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  const auto [end, _] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (end != root.end()) return std::nullopt;  // a link out of the folder
  return file;
}

const char* content_type_of(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  return "application/octet-stream";
}

void send(const explorer::ApiResponse& r, httplib::Response& res) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
  res.set_header("Cache-Control", "no-store");
  if (!r.download_name.empty()) {
    res.set_header("Content-Disposition", "attachment; filename=\"" + r.download_name + "\"");
  }
}

int serve(const ServeOptions& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(o.scenario, registry, loaded, log); code != kOk) return code;
  const std::filesystem::path assets = assets_of(o);
  if (!std::filesystem::is_regular_file(assets / "index.html")) {
    log.error(
        "chiptrail serve: the explorer's page is not at {}/index.html: this build left it out "
        "(it needs npm and the npm registry). Build it where they are: apt-get install npm, "
        "configure with -DCHIPTRAIL_EXPLORER_PAGE=ON and build the `explorer` target; or copy a "
        "built `explorer` folder here and point --assets at it",
        assets.string());
    return kUnavailable;
  }

  const SignalsToWaiter signals;  // before any thread starts
  explorer::RunManager runs(o.max_running, o.threads, /*max_kept=*/64);
  explorer::ExplorerApi api(loaded->file, registry, o.limits, o.max_replications, runs);
  httplib::Server server;
  server.set_payload_max_length(std::size_t{1} << 20);
  // Slow clients cannot hold the server: a connection that sends nothing for 2 s is closed,
  // and 64 connections are served at once (a few slow ones leave the rest to the page).
  server.set_read_timeout(2, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_timeout(2);
  server.set_keep_alive_max_count(100);
  server.new_task_queue = [] { return new httplib::ThreadPool(kConnections); };
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second explorer on the
  // same port would start and silently share the connections.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Everything the page needs comes from this server (no CDN); Vega compiles its expressions
  // with Function(), hence 'unsafe-eval'.
  server.set_default_headers(
      {{"Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:"},
       {"X-Content-Type-Options", "nosniff"}});
  const auto route = [&api](const httplib::Request& req, httplib::Response& res) {
    send(api.handle(req.method, req.path, req.body), res);
  };
  for (const char* pattern : {"/api", "/api/.*"}) {
    server.Get(pattern, route);
    server.Post(pattern, route);
    server.Put(pattern, route);
    server.Patch(pattern, route);
    server.Delete(pattern, route);
  }
  server.Get("/.*", [&assets](const httplib::Request& req, httplib::Response& res) {
    const std::optional<std::filesystem::path> file = asset_file(assets, req.path);
    std::ifstream in;
    if (file) in.open(*file, std::ios::binary);
    if (!file || !in) {
      send(explorer::error_response(404, "not found"), res);
      return;
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    res.set_content(bytes.str(), content_type_of(*file));
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // the API's own message
    const std::string message = res.status == 413   ? "request body over 1 MiB"
                                : res.status == 404 ? "not found: " + req.path
                                                    : "request refused";
    send(explorer::error_response(res.status, message), res);
  });
  // Every request at info (method, path, status, bytes sent): what the server is doing.
  server.set_logger([&log](const httplib::Request& req, const httplib::Response& res) {
    log.info("chiptrail serve: {} {} {} {}", req.method, req.path.substr(0, 200), res.status,
             res.body.size());
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send(explorer::error_response(500, "internal error"), res);
      });

  const int port = o.port == 0 ? server.bind_to_any_port(o.host)
                               : (server.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    log.error("chiptrail serve: cannot listen on {}:{} (in use? --port 0 picks a free port)",
              o.host, o.port);
    return kUnavailable;
  }
  const RequestGuard guard(o, port);
  server.set_pre_routing_handler([&guard](const httplib::Request& req, httplib::Response& res) {
    const auto [status, why] = guard.refuse(req);
    if (status == 0) return httplib::Server::HandlerResponse::Unhandled;
    send(explorer::error_response(status, why), res);
    return httplib::Server::HandlerResponse::Handled;
  });
  if (o.host != "127.0.0.1" && o.host != "localhost" && o.host != "::1") {
    log.warn(
        "chiptrail serve: warning: listening on {}, reachable from other machines; the explorer "
        "has no authentication",
        o.host);
  }
  std::cout << "chiptrail explorer: http://" << (o.host == "0.0.0.0" ? "127.0.0.1" : o.host) << ":"
            << port << "/ (" << (loaded->file.path) << "; Ctrl-C stops)" << std::endl;

  std::atomic<bool> stopping{false};
  std::thread waiter([&] {
    signals.wait();
    stopping = true;
    server.stop();
  });
  const bool listened = server.listen_after_bind();
  if (!stopping.load()) pthread_kill(waiter.native_handle(), SIGTERM);  // wake it to finish
  waiter.join();
  if (!listened && !stopping.load()) {
    log.error("chiptrail serve: the server stopped unexpectedly");
    return kSoftware;
  }
  log.info("chiptrail serve: stopped");
  return kOk;
}

}  // namespace

void add_serve_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                       spdlog::logger& log) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Explore a scenario in the browser: policy sliders, runs with CIs side by side "
      "with the scenario as loaded, downloads (a local web page and its JSON API)");
  cmd->add_option("scenario", o->scenario, "Scenario file (.textproto or .json)")->required();
  cmd->add_option("--port,-p", o->port, "TCP port (0: any free port; the URL is printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", o->host,
                  "Address to listen on (default loopback only; the page has no authentication)")
      ->capture_default_str();
  cmd->add_option("--max-running", o->max_running, "Runs at once; more are refused (HTTP 429)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 64U));
  cmd->add_option("--threads,-j", o->threads, "Worker threads per run")
      ->check(CLI::Range(1U, 1024U));
  cmd->add_option("--max-replications", o->max_replications, "Largest run a request may ask for")
      ->capture_default_str()
      ->check(CLI::Range(2U, 100000000U));
  cmd->add_option("--allow-host", o->allowed_hosts,
                  "Another name the page may be reached by (besides 127.0.0.1, localhost and "
                  "--host), e.g. the machine's name with --host 0.0.0.0");
  cmd->add_option("--assets", o->assets,
                  "Folder with the page (default: `explorer` beside the binary)");
  add_limit_options(cmd, o->limits);
  cmd->callback([o, &registry, &exit_code, &log] { exit_code = serve(*o, registry, log); });
}

}  // namespace chiptrail::cli
