#include "core/lessons/lesson_text.hpp"

#include <cmath>
#include <cstdio>

#include "core/util/error.hpp"

namespace sglab::lessons {

namespace {

bool valid_format(const std::string& f) {
  if (f.empty() || f == "%") return true;
  return f.size() == 2 && f[0] == '.' && f[1] >= '0' && f[1] <= '6';
}

}  // namespace

LessonText::LessonText(const std::string& text) : source_(text) {
  Piece piece;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        piece.literal += '}';
        ++i;
        continue;
      }
      throw Error("a lone '}' at character " + std::to_string(i + 1) + " (write }} for a brace)");
    }
    if (c != '{') {
      piece.literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      piece.literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string::npos)
      throw Error("placeholder at character " + std::to_string(i + 1) + " has no closing '}'");
    const std::string inner = text.substr(i + 1, close - i - 1);
    const std::size_t bar = inner.find('|');
    const std::string expr = inner.substr(0, bar);
    const std::string format = bar == std::string::npos ? "" : inner.substr(bar + 1);
    if (!valid_format(format))
      throw Error("placeholder {" + inner + "}: format '" + format + "' is not one of .0 … .6 or %");
    try {
      piece.value = Expression::parse_value(expr);
    } catch (const Error& e) {
      throw Error("placeholder {" + inner + "}: " + e.what());
    }
    piece.has_value = true;
    piece.format = format;
    pieces_.push_back(std::move(piece));
    piece = Piece{};
    i = close;
  }
  if (!piece.literal.empty()) pieces_.push_back(std::move(piece));
}

std::vector<std::string> LessonText::quantities() const {
  std::vector<std::string> out;
  for (const Piece& p : pieces_)
    if (p.has_value) out.insert(out.end(), p.value.quantities().begin(), p.value.quantities().end());
  return out;
}

std::string LessonText::resolve(const QuantityValues& values) const {
  std::string out;
  for (const Piece& p : pieces_) {
    out += p.literal;
    if (!p.has_value) continue;
    try {
      out += format_quantity(p.value.evaluate(values), p.format);
    } catch (const Error& e) {
      throw Error("placeholder {" + p.value.text() + "}: " + e.what());
    }
  }
  return out;
}

std::string format_quantity(double v, const std::string& format) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  char buf[64];
  if (format == "%") {
    std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * v);
  } else if (format.size() == 2) {
    std::snprintf(buf, sizeof buf, "%.*f", format[1] - '0', v);
  } else if (std::fabs(v) < 1e15 && v == std::round(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else if (std::fabs(v) >= 1000.0 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  }
  return buf;
}

}  // namespace sglab::lessons
