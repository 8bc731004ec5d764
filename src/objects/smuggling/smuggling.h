// HTML smuggling (ATT&CK T1027.006): a web page, an SVG image or a script that carries a file as
// a large base64 string or an array of byte values and has the browser rebuild and save it
// (atob, Uint8Array, new Blob, URL.createObjectURL, msSaveOrOpenBlob, an <a download> clicked by
// script, or a data: URL with a download attribute). APT29's EnvyScout and APT28's webhook pages
// deliver ISO images and ZIPs with shortcuts this way, out of sight of a gateway that only looks
// at attachments.
//
// Owns the static reading of such a text: which of those APIs it names, the payload candidates
// (base64 literals, joined across "..." + "..." concatenations; arrays of numbers; base64 data:
// URLs that are not images), and the decoding of the largest one when it is plain base64, hex
// digits or an array of bytes. Nothing is executed: an obfuscated payload (XOR, reversed, fetched) is reported
// as found but not decoded. It does not judge: the html_smuggling analyzer does.
//
// Bounds: the caller hands at most [limits] max_html_bytes; at most `max_candidates` candidates
// are measured; the decoded payload is cut at `max_payload_bytes` (Payload::truncated). Linear
// in the input; thread-safe (pure function).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::smuggling {

struct ScanLimits {
  std::uint32_t max_candidates = 64;
  std::uint64_t max_payload_bytes = 32ull << 20;
};

// What builds or saves a file in the browser, as bits of Report::apis.
enum Api : std::uint32_t {
  kAtob = 1u << 0,              // atob(
  kUint8Array = 1u << 1,        // Uint8Array
  kFromCharCode = 1u << 2,      // String.fromCharCode / charCodeAt
  kBlob = 1u << 3,              // new Blob(
  kCreateObjectUrl = 1u << 4,   // URL.createObjectURL
  kMsSaveBlob = 1u << 5,        // navigator.msSaveOrOpenBlob / msSaveBlob (old Edge, IE)
  kDownloadAttribute = 1u << 6, // download="name" or .download = ...
  kClick = 1u << 7,             // .click() or dispatchEvent(new MouseEvent('click'))
};

// "atob", "Uint8Array", ... for the set bits, in bit order.
std::vector<std::string_view> api_names(std::uint32_t apis);

enum class Encoding : std::uint8_t { kBase64Literal, kNumberArray, kDataUrl, kHexString };
// "base64 string", "array of numbers", "base64 data: URL", "hex string".
std::string_view encoding_name(Encoding encoding);

struct Payload {
  Encoding encoding = Encoding::kBase64Literal;
  std::uint64_t encoded_size = 0;           // characters of the literal (or array text)
  std::shared_ptr<const std::string> bytes;  // decoded; nullptr when it could not be decoded
  bool truncated = false;                    // decoding stopped at max_payload_bytes
};

struct Report {
  std::uint32_t apis = 0;
  std::uint32_t candidates = 0;       // payload candidates measured
  bool candidates_limited = false;    // more than max_candidates were present
  std::string download_name;          // from download="…", .download = "…" or msSaveOrOpenBlob(b, "…")
  std::optional<Payload> largest;     // the largest candidate

  // A file is assembled and handed to the browser to save or open: a payload candidate, a way
  // to build it (atob, typed array, char codes, or a data: URL) and a way to save it (Blob with an
  // object URL or msSaveOrOpenBlob, or a download attribute).
  bool assembles_file() const;
};

// Candidates shorter than this are not payloads (an inline icon, a token, a font subset in a
// newsletter is larger than a key but far smaller than a program); arrays count elements.
inline constexpr std::size_t kMinBase64Chars = 2048;
inline constexpr std::size_t kMinArrayElements = 1024;

Report scan(std::string_view text, const ScanLimits& limits);

}  // namespace vigie::objects::smuggling
