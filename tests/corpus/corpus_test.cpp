// The shared corpus (../shared/corpus, read in place): every message parses and decodes fully, and
// the resulting structure is sane. Checks invariants and totals, not content.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parse/encoding/charset.h"
#include "vigie/message.h"

namespace vigie {
namespace {
namespace fs = std::filesystem;

fs::path corpus_dir() {
  if (const char* env = std::getenv("VIGIE_CORPUS")) return env;
  return fs::path(VIGIE_SOURCE_DIR) / ".." / "shared" / "corpus";
}

std::shared_ptr<const std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::make_shared<const std::string>(s.str());
}

bool within(std::string_view view, std::string_view buffer) {
  return view.empty() ||
         (view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size());
}

TEST(CorpusTest, EveryMessageParsesIntoASaneStructure) {
  const fs::path dir = corpus_dir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "shared corpus not found at " << dir << " (set VIGIE_CORPUS)";
  std::size_t messages = 0, with_from = 0, multipart = 0, leaves = 0, urls = 0;
  const Limits limits;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".eml") continue;
    const auto bytes = read_file(entry.path());
    const auto m = ParsedMessage::parse(bytes, limits);
    m->decode_all();
    ++messages;
    const std::string name = entry.path().filename().string();
    ASSERT_GE(m->parts().size(), 1u) << name;
    for (const Part& p : m->parts()) {
      ASSERT_EQ(&m->part(p.id), &p) << name;
      if (p.parent != kNoPart) {
        const Part& parent = m->part(p.parent);
        EXPECT_EQ(p.depth, parent.depth + 1) << name;
        EXPECT_NE(std::find(parent.children.begin(), parent.children.end(), p.id), parent.children.end());
      }
      EXPECT_LE(p.depth, limits.max_mime_depth) << name;
      if (p.source == 0) {
        EXPECT_TRUE(within(p.body, m->raw())) << name;
        EXPECT_TRUE(within(p.header_block, m->raw())) << name;
      }
      if (p.is_leaf()) {
        ++leaves;
        EXPECT_LE(m->decoded(p.id).size(), limits.max_part_decoded_bytes) << name;
        if (p.is_text()) {
          EXPECT_TRUE(parse::is_valid_utf8(m->text(p.id))) << name << " part " << p.id;
        }
      }
    }
    for (const Url& u : m->urls()) {
      if (u.valid && !u.host_ascii().empty()) {
        EXPECT_EQ(u.host_ascii().find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ /"), std::string::npos)
            << name << " " << u.host_ascii();
      }
    }
    urls += m->urls().size();
    with_from += m->header("From") != nullptr;
    multipart += m->root().is_multipart();
  }
  std::cout << "corpus: " << messages << " messages, " << leaves << " leaf parts, " << multipart
            << " multipart, " << urls << " URLs\n";
  EXPECT_GT(messages, 6000u);
  EXPECT_GT(with_from, messages * 99 / 100);
  EXPECT_GT(multipart, messages / 10);
  EXPECT_GT(urls, messages);
}

}  // namespace
}  // namespace vigie
