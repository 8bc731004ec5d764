// MISP feeds from a folder or over HTTP(S) (see misp_feed.h).
#include "intel/misp/misp_feed.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "common/ascii.h"
#include "common/list_file.h"
#include "common/utf8_clip.h"

namespace vigie::intel::misp {
namespace {

// An API key is a line of text; anything larger is not one.
constexpr std::uint64_t kMaxKeyFileBytes = 64u << 10;
constexpr long kMaxRedirects = 3;

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Download {
  std::string body;
  std::uint64_t max_bytes = 0;
  bool too_large = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  const std::size_t bytes = size * count;
  if (download->body.size() + bytes > download->max_bytes) {
    download->too_large = true;
    return 0;  // curl stops the transfer with CURLE_WRITE_ERROR
  }
  download->body.append(data, bytes);
  return bytes;
}

// MISP feed files are named by event uuid; checking the form keeps a hostile manifest key
// ("../../etc/passwd") from naming any other file or URL.
bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !ascii::is_hex_digit(text[i])) return false;
  }
  return true;
}

bool is_http_url(std::string_view location) {
  return ascii::istarts_with(location, "http://") || ascii::istarts_with(location, "https://");
}

// True for http://127.0.0.1..., http://localhost..., http://[::1]...: a key sent there does not
// cross a network.
bool is_loopback_url(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (!rest.empty() && rest.front() == '[') {
    return rest.substr(0, rest.find(']') + 1) == "[::1]";
  }
  const std::string host = ascii::lowercase(rest.substr(0, rest.find(':')));
  return host == "localhost" || host == "127.0.0.1";
}

class FeedSource {
 public:
  FeedSource(std::string location, std::string authorization, const MispFeedOptions& options)
      : location_(std::move(location)), authorization_(std::move(authorization)), options_(options) {
    while (location_.size() > 1 && location_.back() == '/') location_.pop_back();
    remote_ = is_http_url(location_);
  }

  std::string where(std::string_view name) const { return location_ + "/" + std::string(name); }

  Result<std::string> read(std::string_view name, std::uint64_t max_bytes) const {
    if (!remote_) return read_config_file(where(name), max_bytes);
    return download(where(name), max_bytes);
  }

 private:
  Result<std::string> download(const std::string& url, std::uint64_t max_bytes) const {
    static std::once_flag curl_ready;
    std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    const std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
    if (!handle) return fail(Error::io(url + ": libcurl could not start a transfer"));
    CURL* c = handle.get();
    curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
    if (headers != nullptr && !authorization_.empty()) {
      curl_slist* grown = curl_slist_append(headers, ("Authorization: " + authorization_).c_str());
      if (grown == nullptr) curl_slist_free_all(headers);
      headers = grown;
    }
    const std::unique_ptr<curl_slist, ListDeleter> header_list(headers);
    if (!header_list) return fail(Error::io(url + ": out of memory for the request headers"));
    Download download;
    download.max_bytes = max_bytes;
    char error[CURL_ERROR_SIZE] = {};
    const bool https = ascii::istarts_with(url, "https://");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    // A feed on https never continues over http (the key and the data would travel in clear).
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vigie-misp-feed");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.transfer_timeout.count()));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(c);
    if (download.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return fail(Error::limit(url + ": larger than " + std::to_string(max_bytes) + " bytes; not read"));
    }
    if (rc != CURLE_OK) {
      return fail(Error::io(url + ": " + (error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(rc)))));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return fail(Error::io(url + ": HTTP status " + std::to_string(status)));
    return std::move(download.body);
  }

  std::string location_;
  std::string authorization_;
  const MispFeedOptions& options_;
  bool remote_ = false;
};

Result<std::string> read_authorization(const std::string& location, const MispFeedOptions& options) {
  if (options.authorization_file.empty()) return std::string();
  if (!is_http_url(location)) return fail(Error::config("an authorization file is only used with an http(s) feed URL"));
  if (ascii::istarts_with(location, "http://") && !is_loopback_url(location)) {
    return fail(Error::config(location + ": the MISP API key would travel in clear; use https"));
  }
  auto text = read_config_file(options.authorization_file, kMaxKeyFileBytes);
  if (!text) return fail(std::move(text.error()));
  std::string_view key(*text);
  key = ascii::trim_blanks(key.substr(0, key.find('\n')));
  const bool printable = std::all_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  });
  if (key.empty() || !printable) {
    return fail(Error::config(options.authorization_file + ": the first line must hold the API key (printable text)"));
  }
  return std::string(key);
}

}  // namespace

Result<MispImport> import_misp_feed(const std::string& location, const MispFeedOptions& options) {
  auto authorization = read_authorization(location, options);
  if (!authorization) return fail(std::move(authorization.error()));
  if (!is_http_url(location)) {
    if (const std::string problem = directory_problem(location); !problem.empty()) {
      return fail(Error::config(location + ": " + problem));
    }
  }
  const FeedSource source(location, std::move(*authorization), options);
  const MispLimits& limits = options.import.limits;

  auto manifest_text = source.read("manifest.json", limits.max_event_bytes);
  if (!manifest_text) return fail(std::move(manifest_text.error()));
  std::uint64_t feed_bytes = manifest_text->size();
  nlohmann::json manifest = nlohmann::json::parse(*manifest_text, nullptr, /*allow_exceptions=*/false);
  manifest_text->clear();
  if (manifest.is_discarded() || !manifest.is_object()) {
    return fail(Error::io(source.where("manifest.json") + ": not a JSON object keyed by event uuid"));
  }

  MispImport out;
  std::size_t listed = 0;
  for (const auto& [key, entry] : manifest.items()) {
    (void)entry;
    if (!is_uuid(key)) {
      out.result.problems.push_back({source.where("manifest.json"), "\"" + std::string(utf8::clip(key, 80)) +
                                                                      "\" is not an event uuid; skipped"});
      continue;
    }
    if (++listed > limits.max_events) {
      out.result.problems.push_back({source.where("manifest.json"), "more than " + std::to_string(limits.max_events) +
                                                                      " events (max_events); the rest were not read"});
      break;
    }
    const std::string name = key + ".json";
    auto text = source.read(name, limits.max_event_bytes);
    if (!text) {
      out.result.problems.push_back({source.where(name), text.error().message});
      continue;
    }
    // One file past the budget at most is held in memory before the feed is cut.
    feed_bytes += text->size();
    if (feed_bytes > limits.max_feed_bytes) {
      out.result.problems.push_back({source.where("manifest.json"), "the feed's files exceed max_feed_bytes (" +
                                                                      std::to_string(limits.max_feed_bytes) + "); " +
                                                                      name + " and the events after it were not read"});
      break;
    }
    add_misp_events(*text, source.where(name), options.import, out);
  }
  return out;
}

}  // namespace vigie::intel::misp
