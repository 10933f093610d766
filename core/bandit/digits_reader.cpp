#include "core/bandit/digits_reader.hpp"

#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include "core/util/error.hpp"

namespace sglab::bandit {

namespace {

constexpr int kPixels = 64;
constexpr std::size_t kMaxUncompressedBytes = 64u << 20;  // the real file is ~0.5 MB

// Whole decompressed text; gzread reports a truncated stream as an error at EOF.
std::string read_gzip_text(const std::string& path) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw Error("digits file " + path + ": cannot open");
  std::string text;
  char buffer[1 << 15];
  for (;;) {
    const int got = gzread(file.get(), buffer, sizeof buffer);
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw Error("digits file " + path + ": corrupt or truncated gzip data (" + message + ")");
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > kMaxUncompressedBytes) throw Error("digits file " + path + ": larger than 64 MB, not the digits");
  }
  int code = 0;
  gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END) throw Error("digits file " + path + ": corrupt or truncated gzip data");
  return text;
}

double parse_field(const std::string& field, const std::string& where) {
  const char* begin = field.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (field.empty() || end != begin + field.size() || !std::isfinite(v) || v != std::floor(v))
    throw Error(where + ": \"" + field + "\" is not an integer");
  return v;
}

}  // namespace

std::vector<std::string> default_digits_paths() {
  return {"/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz",
          "/usr/local/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz",
          "/usr/share/scikit-learn/datasets/data/digits.csv.gz"};
}

std::string find_digits_file() {
  std::string tried;
  for (const auto& p : default_digits_paths()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
    tried += (tried.empty() ? "" : ", ") + p;
  }
  throw Error("the 8x8 digits file (digits.csv.gz) is missing: searched " + tried +
              "; install it with `apt-get install python3-sklearn` (tools/setup.sh does), pass --digits FILE, "
              "or use --data synthetic");
}

DigitsData read_digits_file(const std::string& path) {
  const std::string text = read_gzip_text(path);
  std::vector<double> values;
  std::vector<int> labels;
  std::istringstream lines(text);
  std::string line;
  int line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string where = "digits file " + path + " line " + std::to_string(line_no);
    std::istringstream fields(line);
    std::string field;
    int column = 0;
    while (std::getline(fields, field, ',')) {
      if (column > kPixels) throw Error(where + ": more than 65 fields");
      const double v = parse_field(field, where);
      if (column < kPixels) {
        if (v < 0.0 || v > 16.0) throw Error(where + ": pixel " + field + " is outside [0, 16]");
        values.push_back(v);
      } else {
        if (v < 0.0 || v > 9.0) throw Error(where + ": label " + field + " is outside [0, 9]");
        labels.push_back(static_cast<int>(v));
      }
      ++column;
    }
    if (column != kPixels + 1)
      throw Error(where + ": " + std::to_string(column) + " fields, expected 65 (64 pixels and the label)");
  }
  if (labels.empty()) throw Error("digits file " + path + ": no images");
  DigitsData data;
  data.labels = std::move(labels);
  data.pixels = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      values.data(), static_cast<Eigen::Index>(data.labels.size()), kPixels);
  return data;
}

}  // namespace sglab::bandit
