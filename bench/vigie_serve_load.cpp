// Load client for `vigie serve` (bench/serve_load.sh): posts N messages over loopback at a fixed
// concurrency, one kept-alive connection per client thread, and reports messages per second,
// latency percentiles and errors as one JSON object. Messages are read into memory first, so the
// client measures the service, not the disk. A response counts as an error unless it is 200 with
// a verdict. PATH (default /scan) and MARKER (default "verdict") let the same client load another
// engine's HTTP API in the same run: Rspamd's /checkv2 answers with an "action".
//   vigie_serve_load PORT CONCURRENCY MESSAGES FILE_LIST [PATH MARKER]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5 && argc != 7) {
    std::cerr << "usage: vigie_serve_load PORT CONCURRENCY MESSAGES FILE_LIST [PATH MARKER]\n";
    return 2;
  }
  const int port = std::stoi(argv[1]);
  const int concurrency = std::stoi(argv[2]);
  const std::size_t total = std::stoul(argv[3]);
  const std::string endpoint = argc == 7 ? argv[5] : "/scan";
  const std::string marker = "\"" + std::string(argc == 7 ? argv[6] : "verdict") + "\"";
  std::vector<std::string> messages;
  std::ifstream list(argv[4]);
  for (std::string path; std::getline(list, path);) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!bytes.str().empty()) messages.push_back(bytes.str());
  }
  if (messages.empty()) {
    std::cerr << "no messages\n";
    return 2;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> errors{0};
  std::vector<std::vector<double>> latencies(concurrency);
  std::vector<std::vector<double>> small_latencies(concurrency);  // messages under 100 KB
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < concurrency; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);  // as the service does: no Nagle wait between headers and body
      client.set_read_timeout(std::chrono::seconds(60));
      for (std::size_t i = next++; i < total; i = next++) {
        const std::string& body = messages[i % messages.size()];
        const auto sent = std::chrono::steady_clock::now();
        const auto res = client.Post(endpoint, body, "message/rfc822");
        const auto got = std::chrono::steady_clock::now();
        const double ms = std::chrono::duration<double, std::milli>(got - sent).count();
        latencies[c].push_back(ms);
        if (body.size() < 100'000) small_latencies[c].push_back(ms);
        if (!res || res->status != 200 || res->body.find(marker) == std::string::npos) ++errors;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto sorted = [](const std::vector<std::vector<double>>& per_thread) {
    std::vector<double> all;
    for (const auto& l : per_thread) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    return all;
  };
  const std::vector<double> all = sorted(latencies);
  const std::vector<double> small = sorted(small_latencies);
  const auto percentile = [](const std::vector<double>& values, double p) {
    return values.empty() ? 0.0 : values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
  };
  std::printf("{\"messages\": %zu, \"errors\": %zu, \"seconds\": %.3f, \"messages_per_second\": %.1f, "
              "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"p99_under_100kb_ms\": %.3f}\n",
              all.size(), errors.load(), seconds, all.size() / seconds, percentile(all, 0.50),
              percentile(all, 0.99), all.back(), percentile(small, 0.99));
  return errors.load() == 0 ? 0 : 1;
}
