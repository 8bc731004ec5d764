// SMTP re-injection through libcurl (see smtp_relay.h).
#include "service/quarantine/smtp_relay.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace vigie::service {
namespace {

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// "<address>": libcurl sends MAIL FROM and RCPT TO with what it is given between the brackets.
std::string bracketed(const std::string& address) { return "<" + address + ">"; }

}  // namespace

std::string stuff_after_bare_lf(std::string_view data) {
  // libcurl 7.88 stuffs the first line's leading dot and every dot after CRLF itself (checked by
  // smtp_relay_test against a sink that undoes the stuffing as Postfix does); only the dot after a
  // bare LF is ours to add.
  std::string out;
  out.reserve(data.size() + 16);
  for (std::size_t i = 0; i < data.size(); ++i) {
    out += data[i];
    if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r') && i + 1 < data.size() && data[i + 1] == '.') {
      out += '.';
    }
  }
  return out;
}

Result<void> smtp_send(const SmtpRelay& relay, const std::string& mail_from,
                       const std::vector<std::string>& recipients, std::string_view data) {
  if (recipients.empty()) return fail(Error::invalid_argument("release: the message has no recipient"));
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return fail(Error::io("release: libcurl could not start a transfer"));
  curl_slist* list = nullptr;
  for (const std::string& r : recipients) {
    curl_slist* grown = curl_slist_append(list, bracketed(r).c_str());
    if (grown == nullptr) {
      curl_slist_free_all(list);
      return fail(Error::io("release: out of memory"));
    }
    list = grown;
  }
  const std::unique_ptr<curl_slist, ListDeleter> rcpt(list);
  const std::string host = relay.host.find(':') != std::string::npos ? "[" + relay.host + "]" : relay.host;
  const std::string url = "smtp://" + host + ":" + std::to_string(relay.port);
  const std::string from = bracketed(mail_from);
  const std::string stuffed = stuff_after_bare_lf(data);
  Upload upload{stuffed};
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(stuffed.size()));
  curl_easy_setopt(c, CURLOPT_CRLF, 0L);  // the default, stated: no line end is converted
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(relay.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<std::int64_t>(relay.timeout.count(), 10000)));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {};
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string why = error[0] != '\0' ? error : curl_easy_strerror(rc);
  if (code != 0) why += " (last reply " + std::to_string(code) + ")";
  return fail(Error::io("release to " + url + " failed: " + why));
}

}  // namespace vigie::service
