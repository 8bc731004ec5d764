// MISP feeds from a folder the test writes and over HTTP from a cpp-httplib server the test starts
// on 127.0.0.1 (a free port, stopped at the end): events listed by the manifest are imported; a
// missing (404), oversized or broken event file is a problem for that event only; a missing or
// broken manifest fails the import; the API key goes from its file into the Authorization header;
// over https a self-signed certificate is refused unless its CA is given (python3's TLS server).
#include "intel/misp/misp_feed.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace vigie::intel::misp {
namespace {

using nlohmann::json;

constexpr const char* kGood = "11111111-1111-4111-8111-111111111111";
constexpr const char* kPartial = "22222222-2222-4222-8222-222222222222";
constexpr const char* kMissing = "33333333-3333-4333-8333-333333333333";
constexpr const char* kOversized = "44444444-4444-4444-8444-444444444444";
constexpr const char* kBroken = "55555555-5555-4555-8555-555555555555";

std::string event_file(const char* uuid, const std::string& domain, bool malformed) {
  json attributes = json::array({{{"uuid", "attr-1"}, {"type", "domain"}, {"value", domain}, {"to_ids", true}}});
  if (malformed) attributes.push_back({{"uuid", "attr-2"}, {"type", "ip-dst"}, {"value", "300.1.1.1"}, {"to_ids", true}});
  return json{{"Event", {{"uuid", uuid}, {"info", "feed event"}, {"published", true}, {"Orgc", {{"name", "Partner"}}},
                         {"Attribute", attributes}}}}
      .dump();
}

void write_file(const std::filesystem::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::filesystem::path make_feed(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  json manifest = json::object();
  for (const char* uuid : {kGood, kPartial, kMissing, kOversized, kBroken}) manifest[uuid] = {{"info", "x"}, {"timestamp", "1"}};
  manifest["../../etc/passwd"] = json::object();
  write_file(dir / "manifest.json", manifest.dump());
  write_file(dir / (std::string(kGood) + ".json"), event_file(kGood, "good.example", false));
  write_file(dir / (std::string(kPartial) + ".json"), event_file(kPartial, "partial.example", true));
  write_file(dir / (std::string(kOversized) + ".json"), event_file(kOversized, "big.example", false) + std::string(100'000, ' '));
  write_file(dir / (std::string(kBroken) + ".json"), "{\"Event\": {\"uuid\": ");
  return dir;
}

MispFeedOptions small_files() {
  MispFeedOptions options;
  options.import.limits.max_event_bytes = 64 << 10;
  options.connect_timeout = std::chrono::seconds(5);
  options.transfer_timeout = std::chrono::seconds(20);
  return options;
}

bool problem_at(const MispImport& import, const std::string& where_suffix, const std::string& fragment) {
  return std::any_of(import.result.problems.begin(), import.result.problems.end(), [&](const ImportProblem& p) {
    return p.where.size() >= where_suffix.size() &&
           p.where.compare(p.where.size() - where_suffix.size(), where_suffix.size(), where_suffix) == 0 &&
           p.what.find(fragment) != std::string::npos;
  });
}

std::vector<std::string> ids(const MispImport& import) {
  std::vector<std::string> out;
  for (const Indicator& indicator : import.result.indicators) out.push_back(indicator.id);
  std::sort(out.begin(), out.end());
  return out;
}

void expect_feed_result(const MispImport& import, const std::string& missing_fragment) {
  EXPECT_EQ(ids(import), (std::vector<std::string>{std::string("misp:") + kGood + "/attr-1",
                                                   std::string("misp:") + kPartial + "/attr-1"}));
  EXPECT_EQ(import.counts.events, 2u);
  EXPECT_TRUE(problem_at(import, std::string(kPartial) + ".json:" + kPartial + ":attr-2", "300.1.1.1"));
  EXPECT_TRUE(problem_at(import, std::string(kMissing) + ".json", missing_fragment));
  EXPECT_TRUE(problem_at(import, std::string(kOversized) + ".json", "larger than"));
  EXPECT_TRUE(problem_at(import, std::string(kBroken) + ".json", "not valid JSON"));
  EXPECT_TRUE(problem_at(import, "manifest.json", "is not an event uuid"));
  EXPECT_EQ(import.result.problems.size(), 5u);
}

TEST(MispFeed, FromAFolder) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_folder");
  const auto import = import_misp_feed(dir.string(), small_files());
  ASSERT_TRUE(import) << import.error().message;
  expect_feed_result(*import, "does not exist");
}

TEST(MispFeed, AFeedWithoutAUsableManifestFails) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_no_manifest");
  std::filesystem::remove(dir / "manifest.json");
  EXPECT_FALSE(import_misp_feed(dir.string(), small_files()));
  write_file(dir / "manifest.json", "[1, 2]");
  EXPECT_FALSE(import_misp_feed(dir.string(), small_files()));
  EXPECT_FALSE(import_misp_feed((dir / "absent").string(), small_files()));
}

TEST(MispFeed, FeedByteBudget) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_budget");
  MispFeedOptions options = small_files();
  // Room for the manifest and the first event file only.
  options.import.limits.max_feed_bytes =
      std::filesystem::file_size(dir / "manifest.json") + std::filesystem::file_size(dir / (std::string(kGood) + ".json"));
  const auto import = import_misp_feed(dir.string(), options);
  ASSERT_TRUE(import);
  EXPECT_EQ(import->result.indicators.size(), 1u);
  EXPECT_TRUE(problem_at(*import, "manifest.json", "max_feed_bytes"));
}

// A static file server over the feed folder; /private/ answers only with the right API key.
class FeedServer {
 public:
  explicit FeedServer(const std::filesystem::path& dir) {
    server_.set_mount_point("/", dir.string());
    server_.set_mount_point("/private", dir.string());
    server_.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
      const std::lock_guard lock(mutex_);
      last_authorization_ = request.get_header_value("Authorization");
      if (request.path.rfind("/private/", 0) == 0 && last_authorization_ != "s3cret-key") {
        response.status = 401;
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() only works on a running server: wait for the listening loop.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FeedServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int port() const { return port_; }
  std::string last_authorization() {
    const std::lock_guard lock(mutex_);
    return last_authorization_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string last_authorization_;
};

TEST(MispFeed, OverHttpWithA404AndAnOversizedFile) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_http");
  FeedServer server(dir);
  ASSERT_GT(server.port(), 0);
  const auto import = import_misp_feed(server.url("/"), small_files());
  ASSERT_TRUE(import) << import.error().message;
  expect_feed_result(*import, "HTTP status 404");
  EXPECT_EQ(server.last_authorization(), "");
  EXPECT_FALSE(import_misp_feed(server.url("/nothing-here"), small_files()));
}

TEST(MispFeed, ApiKeyFromAFile) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_key");
  write_file(dir / "key.txt", "  s3cret-key \nsecond line ignored\n");
  FeedServer server(dir);
  MispFeedOptions options = small_files();
  EXPECT_FALSE(import_misp_feed(server.url("/private"), options));  // 401 without the key
  options.authorization_file = (dir / "key.txt").string();
  const auto import = import_misp_feed(server.url("/private"), options);
  ASSERT_TRUE(import) << import.error().message;
  EXPECT_EQ(server.last_authorization(), "s3cret-key");
  EXPECT_EQ(import->counts.indicators, 2u);

  // Never in clear to another host, never from a missing file; refused before any connection.
  const auto clear = import_misp_feed("http://misp.example.invalid/feed", options);
  ASSERT_FALSE(clear);
  EXPECT_NE(clear.error().message.find("use https"), std::string::npos);
  options.authorization_file = (dir / "absent.txt").string();
  EXPECT_FALSE(import_misp_feed(server.url("/private"), options));
}

TEST(MispFeed, HttpsVerifiesThePeer) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_tls");
  FeedServer server(dir);
  // The server speaks plain HTTP: the TLS handshake fails and the import says so.
  const auto import = import_misp_feed("https://127.0.0.1:" + std::to_string(server.port()) + "/", small_files());
  ASSERT_FALSE(import);
  EXPECT_EQ(import.error().code, ErrorCode::kIo);
}

// An HTTPS server over the feed folder with a self-signed certificate for 127.0.0.1: python3's
// http.server wrapped in TLS, started by the test (posix_spawn), its port read from its first line
// of output, stopped with SIGTERM at the end. Needs python3 and openssl (Debian python3, openssl).
class TlsFeedServer {
 public:
  TlsFeedServer(const std::filesystem::path& dir, const std::filesystem::path& work) {
    cert_ = (work / "cert.pem").string();
    const std::string key = (work / "key.pem").string();
    const std::string script = (work / "serve.py").string();
    const std::string make_cert = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
                                  "-addext subjectAltName=IP:127.0.0.1 -keyout '" + key + "' -out '" + cert_ +
                                  "' >/dev/null 2>&1";
    if (std::system(make_cert.c_str()) != 0) return;
    write_file(script,
          "import functools, http.server, ssl, sys\n"
          "class Quiet(http.server.SimpleHTTPRequestHandler):\n"
          "    def log_message(self, *args): pass\n"
          "server = http.server.HTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=sys.argv[1]))\n"
          "context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
          "context.load_cert_chain(sys.argv[2], sys.argv[3])\n"
          "server.socket = context.wrap_socket(server.socket, server_side=True)\n"
          "print(server.server_address[1], flush=True)\n"
          "server.serve_forever()\n");
    int out[2];
    if (pipe(out) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string dir_text = dir.string();
    char* argv[] = {const_cast<char*>("python3"), const_cast<char*>(script.c_str()), const_cast<char*>(dir_text.c_str()),
                    const_cast<char*>(cert_.c_str()), const_cast<char*>(key.c_str()), nullptr};
    const int spawned = posix_spawnp(&pid_, "python3", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
      pid_ = -1;
      close(out[0]);
      return;
    }
    FILE* reader = fdopen(out[0], "r");
    char line[32] = {};
    if (reader != nullptr && std::fgets(line, sizeof line, reader) != nullptr) port_ = std::atoi(line);
    if (reader != nullptr) std::fclose(reader);
  }
  ~TlsFeedServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool running() const { return port_ > 0; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }
  const std::string& certificate() const { return cert_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string cert_;
};

TEST(MispFeed, HttpsRefusesAnUntrustedCertificateAndTakesItsCa) {
  const std::filesystem::path dir = make_feed("vigie_misp_feed_https");
  const std::filesystem::path work = std::filesystem::path(::testing::TempDir()) / "vigie_misp_feed_https_work";
  std::filesystem::create_directories(work);
  TlsFeedServer server(dir, work);
  if (!server.running()) GTEST_SKIP() << "python3 or openssl unavailable: no local HTTPS server";
  const auto untrusted = import_misp_feed(server.url(), small_files());
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().code, ErrorCode::kIo);
  EXPECT_NE(untrusted.error().message.find("certificate"), std::string::npos) << untrusted.error().message;
  MispFeedOptions trusted = small_files();
  trusted.ca_file = server.certificate();
  const auto import = import_misp_feed(server.url(), trusted);
  ASSERT_TRUE(import) << import.error().message;
  expect_feed_result(*import, "HTTP status 404");
}

}  // namespace
}  // namespace vigie::intel::misp
