// The HTTP API of `vigie serve` on cpp-httplib (see http_service.h).
#include "service/http/http_service.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <future>
#include <optional>
#include <string_view>
#include <thread>

#include "common/ascii.h"
#include "common/ip_address.h"
#include "outputs/json_output.h"
#include "service/serve/message_scan.h"
#include "store/event_store.h"

namespace vigie::service {
namespace {

using Clock = std::chrono::steady_clock;

void json_error(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace),
                  "application/json");
}

// An address as MTAs send it in an envelope header, <a@b> or a@b, bare; "<>" (a bounce's null
// sender) is empty.
std::string bare_address(std::string_view text) {
  text = ascii::trim_blanks(text);
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') text = text.substr(1, text.size() - 2);
  return std::string(text);
}

// The envelope from Rspamd-like headers: Client-IP (or IP), Helo, From, Rcpt (repeated or
// comma-separated), Queue-Id. An error says which header is wrong.
Result<Envelope> envelope_from(const httplib::Request& req) {
  Envelope envelope;
  std::string ip = req.get_header_value("Client-IP");
  if (ip.empty()) ip = req.get_header_value("IP");
  ip = std::string(ascii::trim_blanks(ip));
  if (!ip.empty()) {
    if (!IpAddress::parse(ip)) {
      return fail(Error::invalid_argument("Client-IP: '" + ip + "' is not an IPv4 or IPv6 address"));
    }
    envelope.client_ip = ip;
  }
  envelope.helo = std::string(ascii::trim_blanks(req.get_header_value("Helo")));
  envelope.mail_from = bare_address(req.get_header_value("From"));
  const std::size_t rcpt_headers = req.get_header_value_count("Rcpt");
  for (std::size_t i = 0; i < rcpt_headers; ++i) {
    const std::string value = req.get_header_value("Rcpt", i);
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      std::string rcpt = bare_address(std::string_view(value).substr(start, comma - start));
      if (!rcpt.empty()) {
        if (rcpt.find('@') == std::string::npos) {
          return fail(Error::invalid_argument("Rcpt: '" + rcpt + "' is not an address"));
        }
        envelope.recipients.push_back(std::move(rcpt));
      }
      start = comma + 1;
    }
  }
  envelope.queue_id = std::string(ascii::trim_blanks(req.get_header_value("Queue-Id")));
  return envelope;
}

}  // namespace

bool admin_token_matches(std::string_view presented, std::string_view configured) {
  if (configured.empty()) return false;
  unsigned char presented_digest[SHA256_DIGEST_LENGTH];
  unsigned char configured_digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(presented.data()), presented.size(), presented_digest);
  SHA256(reinterpret_cast<const unsigned char*>(configured.data()), configured.size(), configured_digest);
  return CRYPTO_memcmp(presented_digest, configured_digest, SHA256_DIGEST_LENGTH) == 0;
}

struct HttpService::Impl {
  Impl(EngineHolder& h, ServiceMetrics& m, EventLog& l, HttpOptions o, std::function<ReloadOutcome()> r)
      : holder(h), metrics(m), log(l), options(std::move(o)), reload(std::move(r)) {}

  EngineHolder& holder;
  ServiceMetrics& metrics;
  EventLog& log;
  HttpOptions options;
  std::function<ReloadOutcome()> reload;
  Clock::time_point started = Clock::now();
  httplib::Server server;
  std::thread listener;
  std::promise<void> listener_done;
  std::future<void> listener_finished = listener_done.get_future();

  void scan(const httplib::Request& req, httplib::Response& res) {
    const ServiceMetrics::InFlight in_flight(metrics);
    const std::string id = new_message_id();
    res.set_header("X-Vigie-Id", id);
    Result<Envelope> envelope = envelope_from(req);
    if (!envelope) {
      metrics.failed(RequestError::kBadRequest);
      log.warning("bad_request", {{"id", id}, {"path", req.path}, {"error", envelope.error().message}});
      return json_error(res, 400, envelope.error().message);
    }
    if (req.body.empty()) {
      metrics.failed(RequestError::kBadRequest);
      log.warning("bad_request", {{"id", id}, {"path", req.path}, {"error", "empty body"}});
      return json_error(res, 400, "empty body: POST the raw message");
    }
    const MessageScan scan = scan_message(ServeContext{holder, metrics, log, options.events, nullptr}, id,
                                          std::make_shared<const std::string>(req.body), *envelope, Listener::kHttp,
                                          {{"hostname", req.get_header_value("Hostname")}});
    const std::string record = outputs::scan_json_line(scan.result, id);
    // The record is an object: the id goes first, like the header (ids are hex, nothing to escape).
    res.set_content("{\"id\":\"" + id + "\"," + record.substr(1), "application/json");
  }

  // True when the request may use an admin endpoint; otherwise the answer is set.
  bool admitted(const httplib::Request& req, httplib::Response& res) {
    const std::string& token = options.settings.admin_token;
    if (token.empty()) {
      json_error(res, 404, "admin endpoints are disabled: [serve] admin_token is not set");
      return false;
    }
    const std::string authorization = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    const bool bearer = authorization.compare(0, kBearer.size(), kBearer) == 0;
    if (!bearer || !admin_token_matches(std::string_view(authorization).substr(kBearer.size()), token)) {
      metrics.failed(RequestError::kUnauthorized);
      log.warning("unauthorized", {{"path", req.path}, {"remote", req.remote_addr}});
      res.set_header("WWW-Authenticate", "Bearer");
      json_error(res, 401, "missing or wrong bearer token");
      return false;
    }
    return true;
  }

  // The quarantine of an admitted request, with its id checked; otherwise the answer is set.
  // `id` is empty for the list.
  Quarantine* quarantine_for(const httplib::Request& req, httplib::Response& res, const std::string& id,
                             bool has_id) {
    if (!admitted(req, res)) return nullptr;
    if (options.quarantine == nullptr) {
      json_error(res, 404, "the quarantine is disabled: [quarantine] maildir is not set");
      return nullptr;
    }
    if (has_id && !valid_message_id(id)) {
      metrics.failed(RequestError::kBadRequest);
      json_error(res, 400, "not a message id: 16 lowercase hex digits");
      return nullptr;
    }
    return options.quarantine;
  }

  // Who acts, for the row: the analyst's name when the client gives one, and where from.
  static std::string actor(const httplib::Request& req) {
    std::string name = req.get_header_value("X-Vigie-Analyst").substr(0, 64);
    name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return c < 0x20 || c == 0x7f; }), name.end());
    return (name.empty() ? std::string("admin token") : name) + " from " + req.remote_addr;
  }

  // The row of `id`, or the 404 / 500 answer set.
  std::optional<store::HeldMessage> held_row(Quarantine& q, const std::string& id, httplib::Response& res) {
    Result<std::optional<store::HeldMessage>> row = q.show(id);
    if (!row) {
      log.error("quarantine_error", {{"id", id}, {"error", row.error().message}});
      json_error(res, 500, "the quarantine's store failed: " + row.error().message);
      return std::nullopt;
    }
    if (!*row) json_error(res, 404, "no quarantined message " + id);
    return std::move(*row);
  }

  static nlohmann::json held_json(const store::HeldMessage& m, bool with_findings) {
    nlohmann::json j{{"id", m.id},
                     {"state", store::held_state_name(m.state)},
                     {"stored_at", m.stored_at},
                     {"size", m.size},
                     {"sha256", m.sha256},
                     {"mail_from", m.mail_from},
                     {"recipients", m.recipients},
                     {"action", m.action},
                     {"score", m.score},
                     {"reason", m.reason}};
    if (m.changed_at != 0) {
      j["changed_at"] = m.changed_at;
      j["changed_by"] = m.changed_by;
    }
    if (!m.last_error.empty()) j["last_release_error"] = m.last_error;
    if (with_findings) j["findings"] = nlohmann::json::parse(m.findings_json, nullptr, false);
    return j;
  }

  static void json_answer(httplib::Response& res, const nlohmann::json& body) {
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
  }

  // GET /quarantine?recipient=&sender=&state=&since=&until=&limit=&offset= (times: unix seconds).
  void list_quarantine(const httplib::Request& req, httplib::Response& res) {
    Quarantine* q = quarantine_for(req, res, "", false);
    if (q == nullptr) return;
    store::HeldFilter filter;
    filter.limit = 50;
    std::string problem;
    const auto integer = [&](const char* key, auto& out, std::uint64_t max) {
      if (!req.has_param(key)) return;
      const std::string text = req.get_param_value(key);
      std::uint64_t value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || value > max) {
        problem = std::string(key) + " must be an integer from 0 to " + std::to_string(max);
        return;
      }
      out = static_cast<std::remove_reference_t<decltype(out)>>(value);
    };
    integer("since", filter.since, std::uint64_t{1} << 40);
    integer("until", filter.until, std::uint64_t{1} << 40);
    integer("limit", filter.limit, store::EventStore::kMaxListLimit);
    integer("offset", filter.offset, 1000000);
    filter.recipient = req.get_param_value("recipient").substr(0, 320);
    filter.sender = req.get_param_value("sender").substr(0, 320);
    if (req.has_param("state")) {
      const std::string state = req.get_param_value("state");
      for (const auto s : {store::HeldState::kHeld, store::HeldState::kReleased, store::HeldState::kDeleted}) {
        if (state == store::held_state_name(s)) filter.state = s;
      }
      if (!filter.state) problem = "state must be held, released or deleted";
    }
    if (!problem.empty()) {
      metrics.failed(RequestError::kBadRequest);
      return json_error(res, 400, problem);
    }
    const Result<std::vector<store::HeldMessage>> rows = q->list(filter);
    if (!rows) {
      log.error("quarantine_error", {{"error", rows.error().message}});
      return json_error(res, 500, "the quarantine's store failed: " + rows.error().message);
    }
    nlohmann::json messages = nlohmann::json::array();
    for (const store::HeldMessage& m : *rows) messages.push_back(held_json(m, false));
    json_answer(res, {{"messages", std::move(messages)}, {"limit", filter.limit}, {"offset", filter.offset}});
  }

  void quarantine_routes() {
    server.Get("/quarantine", [this](const httplib::Request& req, httplib::Response& res) {
      const ServiceMetrics::InFlight in_flight(metrics);
      list_quarantine(req, res);
    });
    server.Get(R"(/quarantine/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
      const ServiceMetrics::InFlight in_flight(metrics);
      const std::string id = req.matches[1];
      Quarantine* q = quarantine_for(req, res, id, true);
      if (q == nullptr) return;
      if (const auto row = held_row(*q, id, res)) json_answer(res, held_json(*row, true));
    });
    server.Get(R"(/quarantine/([^/]*)/raw)", [this](const httplib::Request& req, httplib::Response& res) {
      const ServiceMetrics::InFlight in_flight(metrics);
      const std::string id = req.matches[1];
      Quarantine* q = quarantine_for(req, res, id, true);
      if (q == nullptr) return;
      const auto row = held_row(*q, id, res);
      if (!row) return;
      if (row->state == store::HeldState::kDeleted) return json_error(res, 410, "quarantined message " + id + " was deleted");
      const Result<std::string> bytes = q->raw(id);
      if (!bytes) {
        log.error("quarantine_error", {{"id", id}, {"error", bytes.error().message}});
        return json_error(res, 500, bytes.error().message);
      }
      // Possibly hostile content: downloaded, never rendered or sniffed by a browser.
      res.set_header("Content-Disposition", "attachment; filename=\"" + id + ".eml\"");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_content(*bytes, "message/rfc822");
    });
    server.Post(R"(/quarantine/([^/]*)/release)", [this](const httplib::Request& req, httplib::Response& res) {
      const ServiceMetrics::InFlight in_flight(metrics);
      const std::string id = req.matches[1];
      Quarantine* q = quarantine_for(req, res, id, true);
      if (q == nullptr) return;
      const auto row = held_row(*q, id, res);
      if (!row) return;
      if (row->state != store::HeldState::kHeld) {
        return json_error(res, 409, "quarantined message " + id + " is " + std::string(store::held_state_name(row->state)));
      }
      const std::string by = actor(req);
      if (const Result<void> released = q->release(id, by); !released) {
        log.error("release_failed", {{"id", id}, {"by", by}, {"error", released.error().message}});
        // The relay (a gateway) refused or was unreachable: 502; the message stays held.
        return json_error(res, 502, released.error().message);
      }
      log.info("released", {{"id", id}, {"by", by}, {"recipients", row->recipients.size()}});
      json_answer(res, {{"id", id}, {"released", true}});
    });
    server.Delete(R"(/quarantine/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
      const ServiceMetrics::InFlight in_flight(metrics);
      const std::string id = req.matches[1];
      Quarantine* q = quarantine_for(req, res, id, true);
      if (q == nullptr) return;
      const auto row = held_row(*q, id, res);
      if (!row) return;
      if (row->state == store::HeldState::kDeleted) return json_error(res, 409, "quarantined message " + id + " was already deleted");
      const std::string by = actor(req);
      if (const Result<void> removed = q->remove(id, by); !removed) {
        log.error("delete_failed", {{"id", id}, {"by", by}, {"error", removed.error().message}});
        return json_error(res, 500, removed.error().message);
      }
      log.info("deleted", {{"id", id}, {"by", by}});
      json_answer(res, {{"id", id}, {"deleted", true}});
    });
  }

  void routes() {
    quarantine_routes();
    server.Post("/scan", [this](const httplib::Request& req, httplib::Response& res) { scan(req, res); });
    server.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      const nlohmann::json health{
          {"status", "ok"},
          {"engine_generation", holder.generation()},
          {"uptime_seconds", std::chrono::duration<double>(Clock::now() - started).count()},
          {"in_flight", metrics.in_flight()},
          {"messages", metrics.messages()}};
      res.set_content(health.dump(), "application/json");
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics.prometheus(holder, Clock::now() - started, options.events, options.quarantine),
                      "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Post("/reload", [this](const httplib::Request& req, httplib::Response& res) {
      const ServiceMetrics::InFlight in_flight(metrics);
      if (!admitted(req, res)) return;
      const ReloadOutcome outcome = reload();
      nlohmann::json body{{"reloaded", outcome.ok}, {"engine_generation", outcome.generation}};
      if (!outcome.ok) body["error"] = outcome.error;
      res.status = outcome.ok ? 200 : 422;
      res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
    });
    // Errors httplib answers itself (a body over the limit, a request it cannot parse, an
    // unknown path) get a JSON body too; the ones our handlers answered already have theirs.
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (res.status == 413) {
        metrics.failed(RequestError::kTooLarge);
        log.warning("too_large", {{"path", req.path}, {"limit", options.settings.max_request_bytes}});
        json_error(res, 413, "request body larger than " + std::to_string(options.settings.max_request_bytes) + " bytes");
      } else if (res.status == 404) {
        json_error(res, 404, "no such endpoint: " + req.path);
      } else if (res.status == 400) {
        metrics.failed(RequestError::kBadRequest);
        json_error(res, 400, "malformed request");
      } else {
        json_error(res, res.status, "request refused");
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    // A bug in a handler (an exception out of the engine) answers 500, is counted and logged,
    // and the service goes on with the next request.
    server.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      }
      metrics.failed(RequestError::kInternal);
      log.error("internal_error", {{"path", req.path}, {"id", res.get_header_value("X-Vigie-Id")}, {"error", what}});
      json_error(res, 500, "internal error");
    });
  }
};

HttpService::HttpService(EngineHolder& holder, ServiceMetrics& metrics, EventLog& log,
                         HttpOptions options, std::function<ReloadOutcome()> reload)
    : impl_(std::make_unique<Impl>(holder, metrics, log, std::move(options), std::move(reload))) {
  const ServeConfig& s = impl_->options.settings;
  const unsigned threads = s.threads;
  impl_->server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl_->server.set_payload_max_length(s.max_request_bytes);
  // httplib writes an answer's headers and body separately: without TCP_NODELAY, Nagle holds the
  // body until the client's delayed ACK, 40 ms on Linux, on every kept-alive request.
  impl_->server.set_tcp_nodelay(true);
  impl_->server.set_read_timeout(std::chrono::milliseconds(s.read_timeout_ms));
  impl_->server.set_write_timeout(std::chrono::milliseconds(s.write_timeout_ms));
  impl_->server.set_keep_alive_timeout(std::max<time_t>(1, s.keep_alive_timeout_ms / 1000));
  impl_->server.set_keep_alive_max_count(s.keep_alive_max_requests);
  impl_->routes();
}

HttpService::~HttpService() { stop(std::chrono::hours(1)); }

Result<std::uint16_t> HttpService::start() {
  Impl& impl = *impl_;
  int port = impl.options.port;
  if (port == 0) {
    port = impl.server.bind_to_any_port(impl.options.host);
    if (port <= 0) return fail(Error::io("cannot listen on " + impl.options.host + " (any port)"));
  } else if (!impl.server.bind_to_port(impl.options.host, port)) {
    return fail(Error::io("cannot listen on " + impl.options.host + ":" + std::to_string(port) +
                          " (address in use, or not an address of this host)"));
  }
  impl.listener = std::thread([&impl] {
    impl.server.listen_after_bind();
    impl.listener_done.set_value();
  });
  // stop() before the loop runs would not stop it: start() returns once it accepts.
  while (!impl.server.is_running() &&
         impl.listener_finished.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready) {
  }
  return static_cast<std::uint16_t>(port);
}

bool HttpService::stop(std::chrono::milliseconds wait) {
  Impl& impl = *impl_;
  if (!impl.listener.joinable()) return true;
  impl.server.stop();
  // listen_after_bind() returns once its pool has answered every connection it accepted.
  if (impl.listener_finished.wait_for(wait) != std::future_status::ready) return false;
  impl.listener.join();
  return true;
}

}  // namespace vigie::service
