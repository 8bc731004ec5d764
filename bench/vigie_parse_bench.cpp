// Single-thread parse throughput of vigie against GMime 3 on the same in-memory messages.
//
// This file owns the C++ workloads of bench/run_parse_bench.sh:
//   vigie — ParsedMessage::parse + decode_all(): every part decoded, text charset-converted,
//           HTML visible text extracted, URLs normalised, uuencoded blocks in text found (what a
//           scan needs; part hashes are computed on demand, for attachments, so not here);
//   vigie-decode — parse + decoded() of every leaf + text() of text leaves: the same work as the
//           gmime workload, so that the parser itself can be compared like for like;
//   gmime — g_mime_parser_construct_message + every leaf's content decoded through
//           g_mime_data_wrapper_write_to_stream into a null stream, text leaves also converted
//           to UTF-8 with g_mime_filter_charset (what a GMime-based filter minimally needs).
// Files are loaded before timing; each tool makes passes over the whole set until a minimum time
// has elapsed and reports its best and median pass, one parseable RESULT line per tool (the same
// format as bench/python_email_bench.py, so the driver can tabulate the three). With --paired the
// tools take turns pass by pass, and PAIRED lines give the ratio of passes run seconds apart.
#include <gmime/gmime.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/limits.h"
#include "vigie/message.h"

namespace vigie::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::vector<std::string> tools = {"vigie", "gmime"};
  std::string config;  // vigie-scan: configuration file (built-in defaults when empty)
  double min_seconds = 2.0;
  int min_passes = 3;
  std::vector<fs::path> inputs;  // files or directories
  fs::path list;                 // optional file with one path per line
  std::size_t slowest = 0;       // > 0: also list the N messages the vigie workload is slowest on
  bool paired = false;           // rounds of one pass per tool (run_paired) instead of one tool at a time
};

struct Corpus {
  std::vector<fs::path> names;
  std::vector<std::shared_ptr<const std::string>> messages;
  std::uint64_t bytes = 0;
};

struct PassResult {
  double seconds = 0;
  std::uint64_t errors = 0;
};

// The optimiser must not drop work whose result nobody reads.
volatile std::uint64_t g_sink = 0;

// ---------------------------------------------------------------------------------------------
// Loading

void add_path(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
         it.increment(error)) {
      if (it->is_regular_file(error) && it->path().extension() == ".eml") {
        files.push_back(it->path());
      }
    }
  } else if (fs::is_regular_file(path, error)) {
    files.push_back(path);
  } else {
    std::cerr << "vigie_parse_bench: skipping " << path << ": not a file or directory\n";
  }
}

Corpus load(const Options& options) {
  std::vector<fs::path> files;
  if (!options.list.empty()) {
    std::ifstream list(options.list);
    for (std::string line; std::getline(list, line);) {
      if (!line.empty()) files.emplace_back(line);
    }
  }
  for (const fs::path& input : options.inputs) add_path(input, files);
  // Sorted and deduplicated so that every tool sees the same set in the same order.
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  Corpus corpus;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    corpus.bytes += bytes.size();
    corpus.names.push_back(file);
    corpus.messages.push_back(std::make_shared<const std::string>(std::move(bytes)));
  }
  return corpus;
}

// ---------------------------------------------------------------------------------------------
// vigie workload

PassResult vigie_pass(const Corpus& corpus, const Limits& limits) {
  PassResult result;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sink = 0;
  for (const auto& bytes : corpus.messages) {
    // parse() shares the buffer rather than copying it: that is part of what is measured.
    const std::unique_ptr<ParsedMessage> message = ParsedMessage::parse(bytes, limits);
    message->decode_all();
    sink += message->parts().size() + message->urls().size() + message->anomalies().size();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_sink = g_sink + sink;
  return result;
}

// The like-for-like counterpart of gmime_pass: transfer decoding of every leaf and UTF-8
// conversion of text leaves, no HTML, URL or hash work.
PassResult vigie_decode_pass(const Corpus& corpus, const Limits& limits) {
  PassResult result;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sink = 0;
  for (const auto& bytes : corpus.messages) {
    const std::unique_ptr<ParsedMessage> message = ParsedMessage::parse(bytes, limits);
    for (const PartId id : message->leaves()) {
      sink += message->part(id).is_text() ? message->text(id).size() : message->decoded(id).size();
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_sink = g_sink + sink;
  return result;
}

// The whole scan pipeline with every analyzer on (no DNS): what a deployment pays per message,
// to set beside the parse-only "vigie" workload measured in the same run.
PassResult vigie_scan_pass(const Corpus& corpus, const Engine& engine) {
  PassResult result;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sink = 0;
  const Envelope envelope;
  for (const auto& bytes : corpus.messages) {
    const ScanResult scanned = engine.scan(bytes, envelope);
    sink += scanned.findings.size() + static_cast<std::uint64_t>(scanned.verdict.action);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_sink = g_sink + sink;
  return result;
}

// Times the full vigie workload message by message and prints the slowest ones to stderr: the
// aggregate rate hides whether a slow corpus is uniformly slow or dominated by a few messages.
void report_slowest(const Corpus& corpus, std::size_t count) {
  const Limits limits;
  std::vector<std::pair<double, std::size_t>> times;
  for (std::size_t i = 0; i < corpus.messages.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const std::unique_ptr<ParsedMessage> message = ParsedMessage::parse(corpus.messages[i], limits);
    message->decode_all();
    times.emplace_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), i);
  }
  std::sort(times.rbegin(), times.rend());
  double total = 0;
  for (const auto& [seconds, index] : times) total += seconds;
  std::fprintf(stderr, "slowest messages for vigie (one pass %.3f s):\n", total);
  for (std::size_t k = 0; k < std::min(count, times.size()); ++k) {
    const auto& [seconds, index] = times[k];
    std::fprintf(stderr, "  %8.2f ms %9zu bytes  %s\n", seconds * 1e3,
                 corpus.messages[index]->size(), corpus.names[index].c_str());
  }
}

// ---------------------------------------------------------------------------------------------
// GMime workload

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct ByteArrayFree {
  void operator()(GByteArray* array) const { g_byte_array_free(array, TRUE); }
};

// Decodes one leaf into a null stream (counts bytes, stores nothing), converting text to UTF-8
// from its declared charset the way g_mime_text_part_get_text does.
std::uint64_t gmime_decode_leaf(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return 0;
  const GPtr<GMimeStream> null_stream(g_mime_stream_null_new());
  const char* charset = nullptr;
  if (GMIME_IS_TEXT_PART(part)) {
    charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  }
  GMimeFilter* filter = charset != nullptr ? g_mime_filter_charset_new(charset, "utf-8") : nullptr;
  if (filter != nullptr) {
    const GPtr<GMimeStream> filtered(g_mime_stream_filter_new(null_stream.get()));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter);
    g_object_unref(filter);
    g_mime_data_wrapper_write_to_stream(content, filtered.get());
    g_mime_stream_flush(filtered.get());
  } else {
    g_mime_data_wrapper_write_to_stream(content, null_stream.get());
  }
  return GMIME_STREAM_NULL(null_stream.get())->written;
}

std::uint64_t gmime_walk(GMimeObject* object) {
  if (object == nullptr) return 0;
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    std::uint64_t total = 0;
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) total += gmime_walk(g_mime_multipart_get_part(multipart, i));
    return total;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* nested = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    return nested != nullptr ? gmime_walk(g_mime_message_get_mime_part(nested)) : 0;
  }
  if (GMIME_IS_PART(object)) return gmime_decode_leaf(GMIME_PART(object));
  return 0;
}

PassResult gmime_pass(const std::vector<std::unique_ptr<GByteArray, ByteArrayFree>>& arrays) {
  PassResult result;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sink = 0;
  for (const auto& array : arrays) {
    // A non-owning stream over the preloaded bytes: neither tool pays for a copy of its input.
    const GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_byte_array(array.get()));
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream.get()), FALSE);
    const GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    const GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (message == nullptr) {
      ++result.errors;
      continue;
    }
    sink += gmime_walk(g_mime_message_get_mime_part(message.get()));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_sink = g_sink + sink;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Timing loop and report

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void report(std::string_view tool, const Corpus& corpus, const std::vector<PassResult>& passes) {
  std::vector<double> times;
  for (const PassResult& p : passes) times.push_back(p.seconds);
  const double best = *std::min_element(times.begin(), times.end());
  const double median = median_of(times);
  const double n = static_cast<double>(corpus.messages.size());
  const double mb = static_cast<double>(corpus.bytes) / 1e6;
  // Same keys as python_email_bench.py; MB is 10^6 bytes of raw message input.
  std::printf(
      "RESULT tool=%.*s files=%zu bytes=%llu passes=%zu best_s=%.4f median_s=%.4f "
      "msgs_per_s=%.1f mb_per_s=%.2f median_msgs_per_s=%.1f median_mb_per_s=%.2f errors=%llu\n",
      static_cast<int>(tool.size()), tool.data(), corpus.messages.size(),
      static_cast<unsigned long long>(corpus.bytes), passes.size(), best, median, n / best,
      mb / best, n / median, mb / median, static_cast<unsigned long long>(passes.front().errors));
  std::fflush(stdout);
}

using PassFunction = std::function<PassResult()>;

// One tool after the other: each makes passes until min_passes and min_seconds are reached.
void run_in_turn(const std::vector<std::pair<std::string, PassFunction>>& tools, const Corpus& corpus,
                 const Options& options) {
  for (const auto& [tool, pass] : tools) {
    std::vector<PassResult> passes;
    double total = 0;
    while (static_cast<int>(passes.size()) < options.min_passes || total < options.min_seconds) {
      passes.push_back(pass());
      total += passes.back().seconds;
    }
    report(tool, corpus, passes);
  }
}

// Rounds of one pass of each tool, until every tool has min_passes and min_seconds. On a shared
// machine whose speed changes from one minute to the next, the tools run one after the other can
// meet different speeds; the passes of one round ran seconds apart, so the ratio of their times
// is measured at one speed. PAIRED lines give, for each tool after the first, the median over
// the rounds of (its pass time / the first tool's), that is how many times faster the first is.
void run_paired(const std::vector<std::pair<std::string, PassFunction>>& tools, const Corpus& corpus,
                const Options& options) {
  std::vector<std::vector<PassResult>> passes(tools.size());
  std::vector<double> totals(tools.size(), 0.0);
  const auto done = [&] {
    for (std::size_t t = 0; t < tools.size(); ++t) {
      if (static_cast<int>(passes[t].size()) < options.min_passes || totals[t] < options.min_seconds) return false;
    }
    return true;
  };
  while (!done()) {
    for (std::size_t t = 0; t < tools.size(); ++t) {
      passes[t].push_back(tools[t].second());
      totals[t] += passes[t].back().seconds;
    }
  }
  for (std::size_t t = 0; t < tools.size(); ++t) report(tools[t].first, corpus, passes[t]);
  for (std::size_t t = 1; t < tools.size(); ++t) {
    std::vector<double> ratios;
    for (std::size_t r = 0; r < passes[t].size(); ++r) ratios.push_back(passes[t][r].seconds / passes[0][r].seconds);
    const auto [low, high] = std::minmax_element(ratios.begin(), ratios.end());
    std::printf("PAIRED first=%s tool=%s rounds=%zu median_ratio=%.2f min_ratio=%.2f max_ratio=%.2f\n",
                tools[0].first.c_str(), tools[t].first.c_str(), ratios.size(), median_of(ratios), *low, *high);
  }
  std::fflush(stdout);
}

int usage() {
  std::cerr << "usage: vigie_parse_bench [--tool vigie|vigie-decode|vigie-scan|gmime|both]\n"
               "                         [--min-seconds S] [--min-passes N] [--list FILE]\n"
               "                         [--slowest N] [--config FILE] [--paired] [PATH...]\n"
               "PATH: .eml files or directories searched recursively for *.eml\n";
  return 2;
}

int main_impl(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--tool" && has_value) {
      const std::string_view tool = argv[++i];
      if (tool == "both") {
        options.tools = {"vigie", "gmime"};
      } else if (tool == "vigie" || tool == "vigie-decode" || tool == "vigie-scan" || tool == "gmime") {
        options.tools = {std::string(tool)};
      } else {
        return usage();
      }
    } else if (arg == "--min-seconds" && has_value) {
      options.min_seconds = std::atof(argv[++i]);
    } else if (arg == "--min-passes" && has_value) {
      options.min_passes = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--slowest" && has_value) {
      options.slowest = static_cast<std::size_t>(std::max(0, std::atoi(argv[++i])));
    } else if (arg == "--config" && has_value) {
      options.config = argv[++i];
    } else if (arg == "--paired") {
      options.paired = true;
    } else if (arg == "--list" && has_value) {
      options.list = argv[++i];
    } else if (arg == "--help" || arg == "-h" || arg.starts_with("--")) {
      return usage();
    } else {
      options.inputs.emplace_back(arg);
    }
  }
  if (options.inputs.empty() && options.list.empty())
    options.inputs.emplace_back("../shared/corpus");

  const Corpus corpus = load(options);
  if (corpus.messages.empty()) {
    std::cerr << "vigie_parse_bench: no message found\n";
    return 1;
  }
  std::cerr << "loaded " << corpus.messages.size() << " messages, " << corpus.bytes << " bytes\n";

  if (options.slowest > 0) report_slowest(corpus, options.slowest);

  // Everything a pass needs is set up before any timing.
  const Limits limits;
  std::unique_ptr<const Engine> engine;
  std::vector<std::unique_ptr<GByteArray, ByteArrayFree>> arrays;
  const bool uses_gmime = std::find(options.tools.begin(), options.tools.end(), "gmime") != options.tools.end();
  if (uses_gmime) {
    g_mime_init();
    for (const auto& message : corpus.messages) {
      GByteArray* array = g_byte_array_sized_new(static_cast<guint>(message->size()));
      g_byte_array_append(array, reinterpret_cast<const guint8*>(message->data()), static_cast<guint>(message->size()));
      arrays.emplace_back(array);
    }
  }
  std::vector<std::pair<std::string, PassFunction>> tools;
  for (const std::string& tool : options.tools) {
    if (tool == "vigie") {
      tools.emplace_back(tool, [&] { return vigie_pass(corpus, limits); });
    } else if (tool == "vigie-decode") {
      tools.emplace_back(tool, [&] { return vigie_decode_pass(corpus, limits); });
    } else if (tool == "vigie-scan") {
      Config config;
      if (!options.config.empty()) {
        Result<Config> loaded = load_config(options.config);
        if (!loaded) {
          std::cerr << loaded.error().message << "\n";
          return 2;
        }
        config = std::move(*loaded);
      }
      engine = std::make_unique<const Engine>(config);
      tools.emplace_back(tool, [&] { return vigie_scan_pass(corpus, *engine); });
    } else {
      tools.emplace_back(tool, [&] { return gmime_pass(arrays); });
    }
  }
  if (options.paired) {
    run_paired(tools, corpus, options);
  } else {
    run_in_turn(tools, corpus, options);
  }
  if (uses_gmime) {
    arrays.clear();
    g_mime_shutdown();
  }
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::main_impl(argc, argv); }
