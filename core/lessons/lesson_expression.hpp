#pragma once
// The small expression language of lesson files: a check ("ratio > 0.9 *
// two_pow_d_minus_k") is two arithmetic expressions joined by a comparison,
// and a text placeholder ("{node:4.bgap_rel}") is one arithmetic expression.
//
//   comparison := sum ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) sum
//   sum        := product (("+" | "-") product)*
//   product    := unary (("*" | "/") unary)*
//   unary      := "-" unary | primary
//   primary    := number | quantity | "(" sum ")" | ("abs" | "log2" | "min" | "max") "(" args ")"
//   quantity   := name | "node:" integer "." name       (name: [A-Za-z_][A-Za-z0-9_]*)
//
// Quantities are looked up by name in a lab's published values
// (core/lessons/lab_quantities.hpp). Parsing never sees values, so a lesson's
// syntax is checked when it loads; the names are checked against the lab's
// schema at load and against the computed values when resolved.

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sglab::lessons {

/// A lab's published numbers for one scenario: name → value (NaN: not available).
using QuantityValues = std::map<std::string, double>;

class Expression {
 public:
  /// Parses an arithmetic expression (placeholders). Throws sglab::Error
  /// "'text': <what is wrong> at column C".
  static Expression parse_value(const std::string& text);
  /// Parses a comparison (checks). Throws sglab::Error as above.
  static Expression parse_check(const std::string& text);

  const std::string& text() const { return text_; }
  /// Every quantity name the expression reads, in order of appearance.
  const std::vector<std::string>& quantities() const { return quantities_; }
  bool is_check() const { return is_check_; }

  /// The value (a check: 1 when it holds, 0 when not). Throws sglab::Error
  /// naming a quantity that `values` lacks ("unknown quantity 'x'").
  double evaluate(const QuantityValues& values) const;

  struct Node;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
  std::vector<std::string> quantities_;
  bool is_check_ = false;
};

}  // namespace sglab::lessons
