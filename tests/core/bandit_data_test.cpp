// The digits reader (shape, class counts, corrupted/truncated files), the
// digits split and the synthetic generator.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/bandit/bandit_data.hpp"
#include "core/bandit/digits_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::bandit {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("sglab-bandit-" + std::to_string(::getpid()) + "-" + name)).string();
}

void write_gzip(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

std::string digit_line(int label, int pixel) {
  std::string s;
  for (int i = 0; i < 64; ++i) s += std::to_string(pixel) + ",";
  return s + std::to_string(label) + "\n";
}

TEST(BanditData, RealDigitsFileHasItsShapeAndClassCounts) {
  std::string path;
  try {
    path = find_digits_file();
  } catch (const Error& e) {
    GTEST_SKIP() << e.what();
  }
  const DigitsData d = read_digits_file(path);
  EXPECT_EQ(d.pixels.rows(), 1797);
  EXPECT_EQ(d.pixels.cols(), 64);
  std::vector<int> counts(10, 0);
  for (int l : d.labels) ++counts[static_cast<std::size_t>(l)];
  EXPECT_EQ(counts, (std::vector<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}));
  EXPECT_EQ(d.pixels.minCoeff(), 0.0);
  EXPECT_EQ(d.pixels.maxCoeff(), 16.0);
  const BanditData split = split_digits(d, {0, 1, 3, 4, 5, 6, 7, 8, 9}, 0.25, 3);
  EXPECT_EQ(split.train.size() + split.eval.size(), 1797 - 177);
  EXPECT_EQ(split.num_actions, 9);
  EXPECT_LE(split.train.x.maxCoeff(), 1.0);
}

TEST(BanditData, SmallValidFileReads) {
  const std::string path = temp_path("ok.csv.gz");
  write_gzip(path, digit_line(3, 5) + digit_line(7, 16));
  const DigitsData d = read_digits_file(path);
  EXPECT_EQ(d.pixels.rows(), 2);
  EXPECT_EQ(d.labels, (std::vector<int>{3, 7}));
  EXPECT_EQ(d.pixels(1, 63), 16.0);
  std::remove(path.c_str());
}

TEST(BanditData, BadFilesAreRejectedWithTheLine) {
  const std::string path = temp_path("bad.csv.gz");
  auto message_of = [&](const std::string& text) -> std::string {
    write_gzip(path, text);
    try {
      read_digits_file(path);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  std::string short_line = digit_line(3, 5);
  short_line.erase(0, 2);  // one pixel fewer
  EXPECT_NE(message_of(digit_line(1, 1) + short_line).find("line 2"), std::string::npos);
  EXPECT_NE(message_of(digit_line(12, 1)).find("label"), std::string::npos);
  EXPECT_NE(message_of(digit_line(1, 17)).find("pixel"), std::string::npos);
  EXPECT_NE(message_of("").find("no images"), std::string::npos);
  std::remove(path.c_str());
}

TEST(BanditData, TruncatedGzipIsAnError) {
  const std::string path = temp_path("whole.csv.gz");
  std::string text;
  for (int i = 0; i < 300; ++i) text += digit_line(i % 10, i % 17);
  write_gzip(path, text);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = temp_path("cut.csv.gz");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THROW(read_digits_file(cut), Error);
  EXPECT_THROW(read_digits_file(temp_path("absent.csv.gz")), Error);
  std::remove(path.c_str());
  std::remove(cut.c_str());
}

TEST(BanditData, SyntheticContextsAreSeededAndLabelled) {
  const BanditData a = make_synthetic_data(16, 5, 0.5, 300, 100, 4);
  const BanditData b = make_synthetic_data(16, 5, 0.5, 300, 100, 4);
  const BanditData c = make_synthetic_data(16, 5, 0.5, 300, 100, 5);
  EXPECT_EQ(a.train.x, b.train.x);
  EXPECT_EQ(a.train.label, b.train.label);
  EXPECT_NE(a.train.x, c.train.x);
  EXPECT_EQ(a.eval.size(), 100);
  std::vector<int> counts(5, 0);
  for (int l : a.train.label) ++counts[static_cast<std::size_t>(l)];
  for (int k : counts) EXPECT_GT(k, 0);
  EXPECT_TRUE((a.train.x.array().abs() == 1.0).all());
}

}  // namespace
}  // namespace sglab::bandit
