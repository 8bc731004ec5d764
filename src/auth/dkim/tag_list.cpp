// Tag-list syntax, RFC 6376 §3.2 (see tag_list.h for what is accepted and why). The parser walks
// the text once, splitting on ';', and refuses anything it cannot give a single meaning to, so
// that signature, key and ARC code never see an ambiguous list.
#include "auth/dkim/tag_list.h"

#include <cstdint>
#include <string>

namespace vigie::auth::dkim {
namespace {

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

tl::unexpected<Error> invalid(LocalizedText why) { return fail(Error::invalid_argument_in_words(std::move(why))); }

}  // namespace

std::string_view trim(std::string_view value) {
  while (!value.empty() && is_wsp(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_wsp(value.back())) value.remove_suffix(1);
  return value;
}

std::string strip_whitespace(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (!is_wsp(c)) out.push_back(c);
  }
  return out;
}

std::optional<std::string> decode_base64(std::string_view value) {
  std::string out;
  out.reserve(value.size() / 4 * 3 + 3);
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  unsigned symbols = 0;
  unsigned padding = 0;
  for (char c : value) {
    if (is_wsp(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    unsigned v;
    if (c >= 'A' && c <= 'Z') {
      v = static_cast<unsigned>(c - 'A');
    } else if (c >= 'a' && c <= 'z') {
      v = static_cast<unsigned>(c - 'a') + 26;
    } else if (is_digit(c)) {
      v = static_cast<unsigned>(c - '0') + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else {
      return std::nullopt;
    }
    ++symbols;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // One leftover symbol cannot encode a byte; padding, when present, must complete the quantum.
  if (symbols % 4 == 1) return std::nullopt;
  if (padding > 0 && (symbols + padding) % 4 != 0) return std::nullopt;
  if (padding > 2) return std::nullopt;
  return out;
}

std::optional<std::string_view> TagList::get(std::string_view name) const {
  for (const Tag& tag : tags) {
    if (tag.name == name) return tag.value;
  }
  return std::nullopt;
}

Result<TagList> parse_tag_list(std::string_view text, EmptyTagSpecs empty) {
  if (text.size() > kMaxTagListSize) {
    const std::string most = std::to_string(kMaxTagListSize);
    return invalid({"tag list longer than " + most + " bytes", "liste de balises de plus de " + most + " octets"});
  }
  TagList list;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view spec = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (spec.empty()) {
      // The segment after the last ';' is the grammar's optional terminator, not a tag-spec.
      const bool after_last_separator = end == text.size();
      if (empty == EmptyTagSpecs::kReject && !after_last_separator) {
        return invalid({"empty tag-spec (';' right after ';' or at the start)",
                        "tag-spec vide (';' juste après ';' ou au début)"});
      }
      continue;
    }

    const std::size_t eq = spec.find('=');
    if (eq == std::string_view::npos) {
      const std::string tag(spec.substr(0, 32));
      return invalid({"tag '" + tag + "' has no '='", "la balise '" + tag + "' n'a pas de '='"});
    }
    const std::string_view name = trim(spec.substr(0, eq));
    const std::string_view value = trim(spec.substr(eq + 1));
    // tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA / DIGIT / "_"
    const LocalizedText invalid_name{"invalid tag name '" + std::string(name.substr(0, 32)) + "'",
                                     "nom de balise invalide '" + std::string(name.substr(0, 32)) + "'"};
    if (name.empty() || !is_alpha(name.front())) return invalid(invalid_name);
    for (char c : name) {
      if (!is_alpha(c) && !is_digit(c) && c != '_') return invalid(invalid_name);
    }
    if (value.size() > kMaxTagValue) {
      const std::string most = std::to_string(kMaxTagValue);
      return invalid({"value of tag '" + std::string(name) + "' longer than " + most + " bytes",
                      "valeur de la balise '" + std::string(name) + "' de plus de " + most + " octets"});
    }
    // VALCHAR = %x21-3A / %x3C-7E, separated by folding whitespace; ';' cannot occur here.
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x21 && !is_wsp(c)) {
        return invalid({"control character in the value of tag '" + std::string(name) + "'",
                        "caractère de contrôle dans la valeur de la balise '" + std::string(name) + "'"});
      }
      if (u == 0x7F) {
        return invalid({"DEL character in the value of tag '" + std::string(name) + "'",
                        "caractère DEL dans la valeur de la balise '" + std::string(name) + "'"});
      }
    }
    if (list.has(name)) {
      return invalid({"tag '" + std::string(name) + "' appears twice",
                      "la balise '" + std::string(name) + "' apparaît deux fois"});
    }
    if (list.tags.size() >= kMaxTags) {
      const std::string most = std::to_string(kMaxTags);
      return invalid({"more than " + most + " tags", "plus de " + most + " balises"});
    }
    list.tags.push_back(Tag{name, value});
  }
  return list;
}

}  // namespace vigie::auth::dkim
