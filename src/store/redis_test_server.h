// Test-only: a private redis-server (Debian's) that a test or benchmark starts on 127.0.0.1 with a
// free port, no persistence, in its own temporary directory, and stops when the object goes. It
// is also stopped when the process that started it dies (PR_SET_PDEATHSIG), so a crashed test
// leaves no server behind. Included by tests and bench/ only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <hiredis/hiredis.h>

namespace vigie::store::testing {

class RedisTestServer {
 public:
  // The redis-server to run: $VIGIE_REDIS_SERVER, else the first on PATH, else /usr/bin's; empty
  // when there is none.
  static std::string executable() {
    if (const char* chosen = std::getenv("VIGIE_REDIS_SERVER"); chosen != nullptr && *chosen != '\0') return chosen;
    std::vector<std::string> directories;
    if (const char* path = std::getenv("PATH")) {
      std::stringstream split(path);
      for (std::string dir; std::getline(split, dir, ':');) directories.push_back(dir);
    }
    directories.push_back("/usr/bin");
    for (const std::string& dir : directories) {
      const std::string candidate = dir + "/redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
  }

  // The reason Redis tests cannot run here, or empty when they can.
  static std::string unavailable() {
    return executable().empty()
               ? "redis-server is not installed (Debian: apt-get install redis-server; or set VIGIE_REDIS_SERVER): "
                 "the Redis store is NOT tested"
               : "";
  }

  RedisTestServer() {
    directory_ = std::filesystem::temp_directory_path() /
                 ("vigie_redis_" + std::to_string(::getpid()) + "_" + std::to_string(next_id()));
    std::filesystem::create_directories(directory_);
    port_ = free_port();
  }
  ~RedisTestServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  RedisTestServer(const RedisTestServer&) = delete;
  RedisTestServer& operator=(const RedisTestServer&) = delete;

  // Starts the server (again, on the same port, after stop()) and waits until it answers PING.
  // Returns why it could not, or empty.
  std::string start() {
    if (pid_ > 0) return "";
    const std::string program = executable();
    if (program.empty()) return unavailable();
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) return "fork failed";
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(1);
      const std::string port = std::to_string(port_);
      const std::string dir = directory_.string();
      const std::string log = (directory_ / "redis.log").string();
      ::execl(program.c_str(), program.c_str(), "--bind", "127.0.0.1", "--port", port.c_str(), "--save", "",
              "--appendonly", "no", "--dir", dir.c_str(), "--logfile", log.c_str(), "--daemonize", "no",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (answers_ping()) return "";
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return "redis-server exited at start (see its log in " + directory_.string() + ")";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    return "redis-server did not answer within 10 s";
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  int port() const { return port_; }
  bool running() const { return pid_ > 0; }

 private:
  static int next_id() {
    static int id = 0;
    return id++;
  }

  // A port the kernel says is free now; redis-server binds it a moment later. Another process
  // taking it in between makes start() fail, not a test pass.
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
  }

  bool answers_ping() const {
    redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeval{0, 200000});
    bool ok = false;
    if (context != nullptr && context->err == 0) {
      auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
      ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
      if (reply != nullptr) freeReplyObject(reply);
    }
    if (context != nullptr) redisFree(context);
    return ok;
  }

  std::filesystem::path directory_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace vigie::store::testing
