#pragma once
// Lesson texts with live numbers: "SG is {ratio|.1}× better" is filled from
// the current results, so a text never quotes a stale number.
//
//   {expr}        the value of an arithmetic expression (lesson_expression.hpp),
//                 3 significant digits (integers in full)
//   {expr|.N}     N decimals (0 ≤ N ≤ 6)
//   {expr|%}      as a percentage, no decimals ("12 %")
//   {{ and }}     literal braces

#include <string>
#include <vector>

#include "core/lessons/lesson_expression.hpp"

namespace sglab::lessons {

class LessonText {
 public:
  LessonText() = default;
  /// Parses the placeholders. Throws sglab::Error naming the placeholder.
  explicit LessonText(const std::string& text);

  const std::string& source() const { return source_; }
  bool empty() const { return source_.empty(); }
  /// Every quantity the placeholders read.
  std::vector<std::string> quantities() const;
  /// The text with every placeholder filled. Throws sglab::Error naming an unknown quantity.
  std::string resolve(const QuantityValues& values) const;

 private:
  struct Piece {
    std::string literal;      ///< text before the placeholder (or the whole tail)
    bool has_value = false;
    Expression value;
    std::string format;       ///< "", ".N" or "%"
  };
  std::string source_;
  std::vector<Piece> pieces_;
};

/// A number as lesson texts show it: 3 significant digits, integers in full, "n/a" for NaN.
std::string format_quantity(double value, const std::string& format = "");

}  // namespace sglab::lessons
