// Issue 11, item 7: "λ* irrelevant here (a ? b)" — a character the UI draws was
// missing from the loaded font ranges, and ImGui drew '?' in its place. This test
// reads every string literal of the code that draws text (ui/, app/gui/ and the
// core texts the labs show) and asserts that the font the app loads has a glyph
// for each of its non-ASCII characters.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "null_backend.hpp"

namespace sglab::ui {
namespace {

// Decodes one UTF-8 sequence at s[i]; advances i. Returns 0xFFFD for malformed bytes.
unsigned decode_utf8(const std::string& s, std::size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  unsigned cp = extra == 3 ? (c & 0x07u) : extra == 2 ? (c & 0x0Fu) : extra == 1 ? (c & 0x1Fu) : c;
  ++i;
  for (; extra > 0; --extra, ++i) {
    if (i >= s.size()) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
  }
  return cp;
}

// The contents of the string literals of a C++ source (comments skipped; raw
// strings R"(…)" included), concatenated.
std::string string_literals(const std::string& src) {
  std::string out;
  std::size_t i = 0;
  while (i < src.size()) {
    if (src.compare(i, 2, "//") == 0) {
      i = src.find('\n', i);
      if (i == std::string::npos) break;
    } else if (src.compare(i, 2, "/*") == 0) {
      i = src.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
    } else if (src[i] == '\'') {  // a character literal: skip it (digit separators are not used)
      ++i;
      while (i < src.size() && src[i] != '\'') i += src[i] == '\\' ? 2 : 1;
      ++i;
    } else if (src.compare(i, 3, "R\"(") == 0) {
      const std::size_t end = src.find(")\"", i + 3);
      if (end == std::string::npos) break;
      out += src.substr(i + 3, end - i - 3);
      i = end + 2;
    } else if (src[i] == '"') {
      ++i;
      while (i < src.size() && src[i] != '"') {
        if (src[i] == '\\') ++i;
        else out += src[i];
        ++i;
      }
      ++i;
    } else {
      ++i;
    }
  }
  return out;
}

TEST(GlyphCoverage, EveryNonAsciiCharacterOfTheUiStringsIsInTheLoadedFont) {
  test::NullBackend backend;  // loads the fonts exactly as the app does
  if (!backend.ui.fonts.from_ttf) GTEST_SKIP() << backend.ui.fonts.message;
  const ImFont* body = backend.ui.fonts.body;
  const ImFont* title = backend.ui.fonts.title;
  std::map<unsigned, std::string> used;  // code point -> first file using it
  namespace fs = std::filesystem;
  int files = 0;
  for (const char* dir : {"ui", "app/gui", "core"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(SGLAB_SOURCE_DIR) / dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp") continue;
      std::ifstream in(entry.path());
      std::stringstream buf;
      buf << in.rdbuf();
      ++files;
      const std::string text = string_literals(buf.str());
      for (std::size_t i = 0; i < text.size();) {
        const unsigned cp = decode_utf8(text, i);
        if (cp >= 0x80) used.emplace(cp, fs::relative(entry.path(), SGLAB_SOURCE_DIR).string());
      }
    }
  }
  ASSERT_GT(files, 50);
  ASSERT_GT(used.count(0x3BB), 0u) << "the scan found no λ: the literal parser is broken";
  for (const auto& [cp, file] : used) {
    EXPECT_NE(body->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr)
        << "U+" << std::hex << cp << " (used in " << file << ") is not in the body font's loaded ranges";
    EXPECT_NE(title->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr)
        << "U+" << std::hex << cp << " (used in " << file << ") is not in the title font's loaded ranges";
  }
}

TEST(GlyphCoverage, TheLiteralParserSkipsCommentsAndReadsStrings) {
  EXPECT_EQ(string_literals("// \"no\"\nint a = f(\"yes\", 'x', \"a\\\"b\"); /* \"no\" */ R\"(raw)\""),
            "yesabraw");
}

}  // namespace
}  // namespace sglab::ui
