// Differential test of vigie's HTML extractor (its own WHATWG tokenizer and a light tree
// approximation, src/parse/html) against the gumbo-based reference (full HTML5 tree
// construction, gumbo_reference.h) over every text/html part of the shared corpus.
//
// This file owns the comparison. Each part's UTF-8 text (ParsedMessage::text, i.e. after transfer
// decoding and charset conversion) goes to both extractors; four classes are compared:
//  * visible text, with every whitespace run (line breaks included) collapsed to one space: a
//    block boundary seen one element earlier or later is not a disagreement, a missing or extra
//    word is;
//  * links: the multiset of (normalized URL, source);
//  * forms: the multiset of (action, has password input);
//  * hidden text: the set of reasons.
// Every disagreement is counted under its class with a few examples (file, part, first
// difference). The test requires at least 99% of HTML parts to agree on visible text and on
// links; forms and hidden-text reasons are reported. Throughput of both extractors over the same
// parts is printed too (informative: the numbers are only meaningful in an optimised build).
//
// Known gumbo deviations from the standard (and from browsers), where vigie follows the standard:
//  * gumbo replaces C0/C1 controls, noncharacters and invalid UTF-8 by U+FFFD (§13.2.3.5 makes
//    them parse errors only); normalise_text drops them on both sides, but they still show in
//    URLs (a link differs when its raw value held such a character);
//  * on an <a> start tag with an <a> in the active formatting elements, gumbo removes whichever
//    <a> remains in the list after the adoption agency (a clone, when the algorithm stopped after
//    8 iterations); the standard and Blink remove the original element, so the clone stays open
//    and is reconstructed later, and vigie reports the extra (real) reopened links.
//
// VIGIE_HTML_DIFF_ALL=1 prints every disagreement rather than the first few of each class;
// VIGIE_HTML_DIFF_DUMP=<substring of "file part N"> prints both visible texts of matching parts;
// VIGIE_HTML_DIFF_INPUT=<file.html> (SingleInputFromEnvironment) prints both results for a file.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "html_reference/gumbo_reference.h"
#include "parse/html/html_extract.h"
#include "vigie/limits.h"
#include "vigie/message.h"

#ifndef VIGIE_DEFAULT_CORPUS
#define VIGIE_DEFAULT_CORPUS "../shared/corpus"
#endif

namespace vigie::testing {
namespace {

namespace fs = std::filesystem;

constexpr double kRequiredAgreementPercent = 99.0;
constexpr std::size_t kExamplesPerClass = 5;

fs::path corpus_root() {
  if (const char* env = std::getenv("VIGIE_CORPUS"); env != nullptr && *env != '\0') return env;
  return VIGIE_DEFAULT_CORPUS;
}

std::vector<fs::path> corpus_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error) && it->path().extension() == ".eml") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // stable reports
  return files;
}

std::shared_ptr<const std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::make_shared<const std::string>(std::move(bytes));
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }

// Length of the UTF-8 sequence at s[i] if it encodes a code point gumbo turns into U+FFFD while
// the HTML Standard keeps it (§13.2.3.5: controls and noncharacters are parse errors only), or
// U+FFFD itself; 0 otherwise. Also 1 for a byte that is not valid UTF-8 (gumbo: U+FFFD).
std::size_t gumbo_replaced(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return ((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F) ? 1 : 0;
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 1;
  std::uint32_t cp = c & (0xFF >> (n + 1));
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 1;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  const bool replaced = (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
                        (cp & 0xFFFE) == 0xFFFE || cp == 0xFFFD || (cp >= 0xD800 && cp <= 0xDFFF);
  return replaced ? n : 0;
}

// Whitespace runs (line breaks included) become one space; what gumbo replaces by U+FFFD and
// the standard keeps is dropped on both sides (a documented gumbo deviation, see the report).
std::string normalise_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (is_space(c)) {
      space = true;
      ++i;
      continue;
    }
    if (const std::size_t skip = gumbo_replaced(s, i); skip > 0) {
      i += skip;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
    ++i;
  }
  return out;
}

std::vector<std::pair<std::string, int>> link_multiset(const HtmlContent& c) {
  std::vector<std::pair<std::string, int>> out;
  for (const Url& u : c.links) out.emplace_back(u.normalized(), static_cast<int>(u.source));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<std::string, bool>> form_multiset(const HtmlContent& c) {
  std::vector<std::pair<std::string, bool>> out;
  for (const HtmlForm& f : c.forms) out.emplace_back(f.action, f.has_password_input);
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> hidden_reasons(const HtmlContent& c) {
  std::set<std::string> out;
  for (const HiddenText& h : c.hidden) out.insert(h.reason);
  return out;
}

// "ours: ...|... gumbo: ...|..." around the first differing byte.
std::string first_difference(std::string_view ours, std::string_view theirs) {
  std::size_t i = 0;
  while (i < ours.size() && i < theirs.size() && ours[i] == theirs[i]) ++i;
  const std::size_t from = i > 60 ? i - 60 : 0;
  const auto window = [&](std::string_view s) { return std::string(s.substr(std::min(from, s.size()), 120)); };
  return "at " + std::to_string(i) + "\n      ours:  [" + window(ours) + "]\n      gumbo: [" + window(theirs) + "]";
}

template <typename T, typename F>
std::string multiset_difference(const std::vector<T>& ours, const std::vector<T>& theirs, F&& show) {
  std::vector<T> only_ours;
  std::vector<T> only_theirs;
  std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(), std::back_inserter(only_ours));
  std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(), std::back_inserter(only_theirs));
  std::string out = "ours " + std::to_string(ours.size()) + ", gumbo " + std::to_string(theirs.size());
  for (std::size_t k = 0; k < only_ours.size() && k < 3; ++k) out += "\n      only ours:  " + show(only_ours[k]);
  for (std::size_t k = 0; k < only_theirs.size() && k < 3; ++k) out += "\n      only gumbo: " + show(only_theirs[k]);
  return out;
}

struct ClassReport {
  explicit ClassReport(std::string n) : name(std::move(n)) {}
  std::string name;
  std::size_t disagreements = 0;
  std::vector<std::string> examples;
};

void print_content(std::string_view label, const HtmlContent& c) {
  std::cout << "--- " << label << "\n" << c.visible_text << "\n";
  for (const Url& u : c.links) std::cout << "  link " << static_cast<int>(u.source) << " " << u.normalized() << " [" << u.anchor_text << "]\n";
  for (const HiddenText& h : c.hidden) std::cout << "  hidden " << h.reason << " [" << h.text << "]\n";
  for (const HtmlForm& f : c.forms) std::cout << "  form " << f.action << (f.has_password_input ? " password" : "") << "\n";
}

// Triage helper: VIGIE_HTML_DIFF_INPUT=<file.html> prints what both extractors see in it.
TEST(HtmlDifferential, SingleInputFromEnvironment) {
  const char* path = std::getenv("VIGIE_HTML_DIFF_INPUT");
  if (path == nullptr || *path == '\0') GTEST_SKIP() << "VIGIE_HTML_DIFF_INPUT not set";
  const auto html = read_file(path);
  const auto t0 = std::chrono::steady_clock::now();
  const HtmlContent ours = parse::extract_html(*html, Limits{});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  print_content("vigie (" + std::to_string(seconds) + " s)", ours);
  // VIGIE_HTML_DIFF_VIGIE_ONLY=1: skip the reference (hostile inputs it is slow on).
  if (std::getenv("VIGIE_HTML_DIFF_VIGIE_ONLY") == nullptr) print_content("gumbo", gumbo_extract_html(*html, Limits{}));
}

TEST(HtmlDifferential, WholeCorpusAgreement) {
  const fs::path root = corpus_root();
  std::error_code error;
  if (!fs::is_directory(root, error)) {
    GTEST_SKIP() << "shared corpus not found at " << root.string()
                 << " (set VIGIE_CORPUS to the folder holding spamassassin/ and phishing-dev/)";
  }
  const std::vector<fs::path> files = corpus_files(root);
  if (files.empty()) GTEST_SKIP() << "no .eml file under " << root.string();

  const bool list_all = std::getenv("VIGIE_HTML_DIFF_ALL") != nullptr;
  const Limits limits;
  ClassReport text{"visible text"};
  ClassReport links{"links"};
  ClassReport forms{"forms"};
  ClassReport hidden{"hidden reasons"};
  std::size_t parts = 0;
  std::size_t bytes = 0;
  double ours_seconds = 0;
  double gumbo_seconds = 0;
  double ours_no_url_seconds = 0;  // extract_html with max_urls=0: HTML work without normalize_url
  Limits no_urls;
  no_urls.max_urls = 0;
  const auto note = [&](ClassReport& r, const std::string& where, const std::string& detail) {
    ++r.disagreements;
    if (list_all || r.examples.size() < kExamplesPerClass) r.examples.push_back(where + "\n      " + detail);
  };

  for (const fs::path& file : files) {
    const auto message = ParsedMessage::parse(read_file(file), limits);
    for (const Part& part : message->parts()) {
      if (!part.is_leaf() || part.media_type != "text" || part.media_subtype != "html") continue;
      const std::string_view html = message->text(part.id);
      ++parts;
      bytes += html.size();
      const auto t0 = std::chrono::steady_clock::now();
      const HtmlContent ours = parse::extract_html(html, limits);
      const auto t1 = std::chrono::steady_clock::now();
      const HtmlContent theirs = gumbo_extract_html(html, limits);
      const auto t2 = std::chrono::steady_clock::now();
      ours_seconds += std::chrono::duration<double>(t1 - t0).count();
      const auto t3 = std::chrono::steady_clock::now();
      (void)parse::extract_html(html, no_urls);
      ours_no_url_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t3).count();
      gumbo_seconds += std::chrono::duration<double>(t2 - t1).count();

      const std::string where =
          fs::relative(file, root, error).string() + " part " + std::to_string(part.id);
      // VIGIE_HTML_DIFF_DUMP=<file name part>: both visible texts in full, for triage.
      if (const char* dump = std::getenv("VIGIE_HTML_DIFF_DUMP"); dump != nullptr && where.find(dump) != std::string::npos) {
        std::cout << "=== " << where << "\n--- ours\n" << ours.visible_text << "\n--- gumbo\n"
                  << theirs.visible_text << "\n===\n";
      }
      const std::string ours_text = normalise_text(ours.visible_text);
      const std::string gumbo_text = normalise_text(theirs.visible_text);
      if (ours_text != gumbo_text) note(text, where, first_difference(ours_text, gumbo_text));
      const auto ours_links = link_multiset(ours);
      const auto gumbo_links = link_multiset(theirs);
      if (ours_links != gumbo_links) {
        note(links, where, multiset_difference(ours_links, gumbo_links, [](const std::pair<std::string, int>& l) {
               return l.first + " (source " + std::to_string(l.second) + ")";
             }));
      }
      const auto ours_forms = form_multiset(ours);
      const auto gumbo_forms = form_multiset(theirs);
      if (ours_forms != gumbo_forms) {
        note(forms, where, multiset_difference(ours_forms, gumbo_forms, [](const std::pair<std::string, bool>& f) {
               return "action=" + f.first + (f.second ? " password" : "");
             }));
      }
      const auto ours_hidden = hidden_reasons(ours);
      const auto gumbo_hidden = hidden_reasons(theirs);
      if (ours_hidden != gumbo_hidden) {
        const std::vector<std::string> o(ours_hidden.begin(), ours_hidden.end());
        const std::vector<std::string> g(gumbo_hidden.begin(), gumbo_hidden.end());
        note(hidden, where, multiset_difference(o, g, [](const std::string& s) { return s; }));
      }
    }
  }
  if (parts == 0) GTEST_SKIP() << "no text/html part in the corpus at " << root.string();

  const auto percent = [&](const ClassReport& r) {
    return 100.0 * static_cast<double>(parts - r.disagreements) / static_cast<double>(parts);
  };
  std::cout << "HTML differential (vigie tokenizer vs gumbo reference) over " << files.size()
            << " messages, " << parts << " text/html parts, " << bytes / 1e6 << " MB\n";
  for (const ClassReport* r : {&text, &links, &forms, &hidden}) {
    std::cout << "  " << r->name << ": " << r->disagreements << " disagreements, agreement "
              << percent(*r) << "%\n";
    for (const std::string& example : r->examples) std::cout << "    " << example << "\n";
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  std::cout << "  throughput: vigie " << mb / ours_seconds << " MB/s, gumbo reference "
            << mb / gumbo_seconds << " MB/s (ratio " << gumbo_seconds / ours_seconds
            << "x); vigie without URL normalisation (max_urls=0) " << mb / ours_no_url_seconds << " MB/s\n";

  EXPECT_GE(percent(text), kRequiredAgreementPercent) << "visible text agreement";
  EXPECT_GE(percent(links), kRequiredAgreementPercent) << "link agreement";
}

}  // namespace
}  // namespace vigie::testing
