// The HTTP API of `vigie serve` over loopback: a server on a free port of 127.0.0.1 inside the
// test, questioned with cpp-httplib's client.
#include "service/http/http_service.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include <sqlite3.h>

#include <filesystem>

#include "store/event_store.h"
#include "service/serve/serve_test_support.h"
#include "vigie/config.h"

namespace vigie::service {
namespace {

const std::string kSource = VIGIE_SOURCE_DIR;
const std::string kToken = "0123456789abcdef-token";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A service on 127.0.0.1 and a free port, with the example ministry profile (the goldens').
class HttpServiceTest : public ::testing::Test {
 protected:
  void start(ServeConfig settings = {}, std::function<ReloadOutcome()> reload = nullptr,
             store::EventStore* events = nullptr) {
    auto holder = test::example_engines();
    ASSERT_TRUE(holder) << holder.error().message;
    holder_ = std::move(*holder);
    log_ = std::make_unique<test::CapturedLog>();
    HttpOptions options;
    options.port = 0;
    if (settings.max_request_bytes == 0) settings.max_request_bytes = 1 << 20;
    settings.threads = 4;
    options.settings = settings;
    options.events = events;
    if (!reload) reload = [this] { return holder_->reload(); };
    service_ = std::make_unique<HttpService>(*holder_, metrics_, log_->log(), options, reload);
    Result<std::uint16_t> port = service_->start();
    ASSERT_TRUE(port) << port.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(std::chrono::seconds(30));
  }
  void TearDown() override {
    if (service_) {
      EXPECT_TRUE(service_->stop(std::chrono::seconds(30)));
    }
  }
  std::string log_text() { return log_->text(); }

  std::unique_ptr<EngineHolder> holder_;
  ServiceMetrics metrics_;
  std::unique_ptr<test::CapturedLog> log_;
  std::unique_ptr<HttpService> service_;
  std::unique_ptr<httplib::Client> client_;
};

// The record without what differs between two scans of one message: its time, its label, its id.
nlohmann::json comparable(nlohmann::json record) {
  record.erase("elapsed_us");
  record.erase("file");
  record.erase("id");
  return record;
}

TEST_F(HttpServiceTest, ScanGivesTheCliRecordWithAnIdThatTheLogRepeats) {
  start();
  for (const std::string name : {"spear-phishing-ministry", "benign"}) {
    const std::string body = read_file(kSource + "/examples/" + name + ".eml");
    ASSERT_FALSE(body.empty());
    httplib::Headers headers{{"Queue-Id", "4XyZ1" + name}};
    const auto res = client_->Post("/scan", headers, body, "message/rfc822");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    const nlohmann::json record = nlohmann::json::parse(res->body);
    const std::string id = res->get_header_value("X-Vigie-Id");
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{16}"))) << id;
    EXPECT_EQ(record["id"], id);
    // `vigie scan --config config/ministere.example.toml` of the same file (golden_scan.sh).
    const nlohmann::json golden =
        nlohmann::json::parse(read_file(kSource + "/tests/golden/scan/" + name + ".json"));
    EXPECT_EQ(comparable(record), comparable(golden)) << name;
    const std::string log = log_text();
    EXPECT_NE(log.find("\"id\":\"" + id + "\""), std::string::npos) << log;
    EXPECT_NE(log.find("\"queue_id\":\"4XyZ1" + name + "\""), std::string::npos) << log;
  }
  EXPECT_EQ(metrics_.messages(), 2u);
}

TEST_F(HttpServiceTest, EnvelopeHeadersReachTheScanAndBadOnesAre400) {
  start();
  const std::string body = read_file(kSource + "/examples/benign.eml");
  httplib::Headers good{{"Client-IP", "192.0.2.10"}, {"Helo", "mx.example.org"},
                        {"From", "<sender@example.org>"}, {"Rcpt", "a@example.gouv.fr, <b@example.gouv.fr>"},
                        {"Rcpt", "c@example.gouv.fr"}};
  auto res = client_->Post("/scan", good, body, "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NE(log_text().find("\"rcpts\":3"), std::string::npos) << log_text();

  res = client_->Post("/scan", httplib::Headers{{"Client-IP", "not-an-ip"}}, body, "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(nlohmann::json::parse(res->body)["error"].get<std::string>().find("Client-IP"), std::string::npos);

  res = client_->Post("/scan", httplib::Headers{{"Rcpt", "nobody"}}, body, "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);

  res = client_->Post("/scan", "", "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(nlohmann::json::parse(res->body).contains("error"));

  res = client_->Get("/nowhere");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(HttpServiceTest, BodyOverTheLimitIs413) {
  ServeConfig settings;
  settings.max_request_bytes = 1000;
  start(settings);
  auto res = client_->Post("/scan", std::string(1001, 'a'), "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_TRUE(nlohmann::json::parse(res->body).contains("error"));
  res = client_->Post("/scan", "Subject: small\r\n\r\nhello\r\n", "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(HttpServiceTest, MetricsAreValidPrometheusText) {
  start();
  ASSERT_TRUE(client_->Post("/scan", read_file(kSource + "/examples/spear-phishing-ministry.eml"), "message/rfc822"));
  const auto res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  // Every line is a comment or `name{labels} value` (text exposition format 0.0.4).
  const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eE]+(Inf)?$)");
  std::istringstream lines(res->body);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 20);
  EXPECT_NE(res->body.find("vigie_messages_total{action=\"reject\"} 1\n"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("vigie_findings_total{id=\"LOOKALIKE_ORGANISATION_DOMAIN\"} 1\n"), std::string::npos);
  EXPECT_NE(res->body.find("vigie_scan_duration_seconds_count 1\n"), std::string::npos);
  EXPECT_NE(res->body.find("vigie_scan_duration_seconds_bucket{le=\"+Inf\"} 1\n"), std::string::npos);
  EXPECT_NE(res->body.find("vigie_engine_generation 1\n"), std::string::npos);

  const auto health = client_->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["engine_generation"], 1);
}

TEST_F(HttpServiceTest, ReloadNeedsTheBearerToken) {
  ServeConfig settings;
  settings.admin_token = kToken;
  start(settings);
  auto res = client_->Post("/reload", "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  for (const std::string& wrong : {kToken + "x", kToken.substr(0, kToken.size() - 1), std::string("a"), std::string()}) {
    res = client_->Post("/reload", httplib::Headers{{"Authorization", "Bearer " + wrong}}, "", "text/plain");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << wrong;
  }
  res = client_->Post("/reload", httplib::Headers{{"Authorization", "Basic " + kToken}}, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(holder_->generation(), 1u);

  res = client_->Post("/reload", httplib::Headers{{"Authorization", "Bearer " + kToken}}, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(nlohmann::json::parse(res->body)["engine_generation"], 2);
  EXPECT_EQ(holder_->generation(), 2u);
}

TEST_F(HttpServiceTest, AdminEndpointsAreClosedWithoutAToken) {
  start();
  const auto res = client_->Post("/reload", httplib::Headers{{"Authorization", "Bearer "}}, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(holder_->generation(), 1u);
}

// POST /scan leaves its event under the id it answered with, with what the console shows, and the
// event store's metrics stay valid exposition text.
TEST_F(HttpServiceTest, ScanRecordsItsEventUnderItsId) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vigie-http-events-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  store::EventStoreOptions o;
  o.path = (dir / "events.db").string();
  auto events = store::EventStore::open(o);
  ASSERT_TRUE(events) << events.error().message;
  start({}, nullptr, events->get());
  const auto res = client_->Post("/scan",
                                 httplib::Headers{{"Rcpt", "dgs@prefecture-exemple.gouv.fr"}, {"Queue-Id", "4Xk9Qp1r2Tz3wC"}},
                                 read_file(kSource + "/examples/spear-phishing-ministry.eml"), "message/rfc822");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const std::string id = res->get_header_value("X-Vigie-Id");
  (*events)->flush();
  const auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("\nvigie_events_written_total 1\n"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("\nvigie_events_dropped_total 0\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("\n# TYPE vigie_event_store_bytes gauge\nvigie_event_store_bytes "), std::string::npos);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(o.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT header_from, subject, message_id, action, listener, queue_id, objects,"
                               " (SELECT count(*) FROM event_findings f WHERE f.event = seq AND f.object_path <> ''),"
                               " (SELECT group_concat(recipient) FROM event_recipients r WHERE r.event = seq)"
                               " FROM events WHERE id = ?1",
                               -1, &s, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(s, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const auto text = [&](int column) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, column))); };
  EXPECT_EQ(text(0), "secretariat@interieur-gouv.fr.cabinet-ministre.info");
  EXPECT_EQ(text(1), "URGENT \u2013 Note confidentielle du cabinet \u00e0 valider");
  EXPECT_NE(text(2).find("a81f2c@cabinet-ministre.info"), std::string::npos) << text(2);
  EXPECT_EQ(text(3), "reject");
  EXPECT_EQ(text(4), "http");
  EXPECT_EQ(text(5), "4Xk9Qp1r2Tz3wC");
  const nlohmann::json objects = nlohmann::json::parse(text(6));
  ASSERT_TRUE(objects.is_array() && !objects.empty());
  EXPECT_EQ(objects[0]["path"], "message");
  EXPECT_GE(sqlite3_column_int64(s, 7), 5);
  EXPECT_EQ(text(8), "dgs@prefecture-exemple.gouv.fr");
  sqlite3_finalize(s);
  sqlite3_close(db);
  ASSERT_TRUE(service_->stop(std::chrono::seconds(30)));
  service_.reset();
  events->reset();
  std::filesystem::remove_all(dir);
}

TEST_F(HttpServiceTest, QuarantineEndpointsAre404WithoutATokenOrAQuarantine) {
  start();  // no token
  for (const char* path : {"/quarantine", "/quarantine/0123456789abcdef", "/quarantine/0123456789abcdef/raw"}) {
    const auto res = client_->Get(path, httplib::Headers{{"Authorization", "Bearer "}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << path;
  }
  ASSERT_TRUE(service_->stop(std::chrono::seconds(30)));
  ServeConfig settings;
  settings.admin_token = kToken;
  start(settings);  // a token, no [quarantine]
  const httplib::Headers auth{{"Authorization", "Bearer " + kToken}};
  auto res = client_->Get("/quarantine", auth);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_NE(res->body.find("[quarantine] maildir"), std::string::npos) << res->body;
  res = client_->Delete("/quarantine/0123456789abcdef", httplib::Headers{{"Authorization", "Bearer wrong"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  // Without an event store /metrics says nothing of one.
  res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body.find("vigie_events_written_total"), std::string::npos);
  EXPECT_EQ(res->body.find("vigie_quarantine_held"), std::string::npos);
}

TEST_F(HttpServiceTest, AnExceptionInAHandlerIs500CountedAndLogged) {
  ServeConfig settings;
  settings.admin_token = kToken;
  start(settings, []() -> ReloadOutcome { throw std::runtime_error("a bug in the reload path"); });
  auto res = client_->Post("/reload", httplib::Headers{{"Authorization", "Bearer " + kToken}}, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"], "internal error");
  EXPECT_NE(log_text().find("a bug in the reload path"), std::string::npos) << log_text();
  // The service goes on.
  res = client_->Post("/scan", "Subject: after\r\n\r\nhello\r\n", "message/rfc822");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("vigie_errors_total{kind=\"internal\"} 1\n"), std::string::npos) << res->body;
}

TEST(AdminToken, ComparesWholeTokensOnly) {
  EXPECT_TRUE(admin_token_matches(kToken, kToken));
  EXPECT_FALSE(admin_token_matches(kToken + "x", kToken));
  EXPECT_FALSE(admin_token_matches(kToken.substr(1), kToken));
  EXPECT_FALSE(admin_token_matches("", kToken));
  EXPECT_FALSE(admin_token_matches("", ""));  // no configured token opens nothing
}

}  // namespace
}  // namespace vigie::service
