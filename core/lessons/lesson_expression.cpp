#include "core/lessons/lesson_expression.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/util/error.hpp"

namespace sglab::lessons {

struct Expression::Node {
  enum class Kind { number, quantity, negate, binary, call, compare };
  Kind kind = Kind::number;
  double number = 0.0;
  std::string name;  ///< quantity name, operator ("+", "<=") or function name
  std::vector<std::shared_ptr<const Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<const Expression::Node>;
using Kind = Expression::Node::Kind;

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  NodePtr parse(bool comparison) {
    NodePtr left = sum();
    if (comparison) {
      skip_space();
      const std::string op = comparison_operator();
      if (op.empty()) fail("expected a comparison (<, <=, >, >=, ==, !=)");
      NodePtr right = sum();
      left = make(Kind::compare, op, {left, right});
    }
    skip_space();
    if (pos_ < text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return left;
  }

  std::vector<std::string> quantities;

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("'" + text_ + "': " + what + " at column " + std::to_string(pos_ + 1));
  }

  static NodePtr make(Kind kind, std::string name, std::vector<NodePtr> args, double number = 0.0) {
    auto n = std::make_shared<Expression::Node>();
    n->kind = kind;
    n->name = std::move(name);
    n->args = std::move(args);
    n->number = number;
    return n;
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::string comparison_operator() {
    static const char* const ops[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (const char* op : ops) {
      const std::string s(op);
      if (text_.compare(pos_, s.size(), s) == 0) {
        pos_ += s.size();
        return s;
      }
    }
    return {};
  }

  NodePtr sum() {
    NodePtr left = product();
    for (;;) {
      if (accept('+')) left = make(Kind::binary, "+", {left, product()});
      else if (accept('-')) left = make(Kind::binary, "-", {left, product()});
      else return left;
    }
  }

  NodePtr product() {
    NodePtr left = unary();
    for (;;) {
      if (accept('*')) left = make(Kind::binary, "*", {left, unary()});
      else if (accept('/')) left = make(Kind::binary, "/", {left, unary()});
      else return left;
    }
  }

  NodePtr unary() {
    if (accept('-')) return make(Kind::negate, "-", {unary()});
    return primary();
  }

  static bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
  static bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  std::string plain_name() {
    if (pos_ >= text_.size() || !name_start(text_[pos_])) fail("expected a name");
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && name_char(text_[pos_])) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }

  NodePtr primary() {
    skip_space();
    if (pos_ >= text_.size()) fail("expected a number or a quantity");
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      NodePtr inner = sum();
      if (!accept(')')) fail("expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (!name_start(c)) fail("expected a number or a quantity, got '" + std::string(1, c) + "'");
    std::string name = plain_name();
    if (name == "node" && pos_ < text_.size() && text_[pos_] == ':') {
      ++pos_;
      const std::size_t begin = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      if (pos_ == begin) fail("expected a node number after 'node:'");
      const std::string id = text_.substr(begin, pos_ - begin);
      if (pos_ >= text_.size() || text_[pos_] != '.') fail("expected '.' and a quantity after 'node:" + id + "'");
      ++pos_;
      name = "node:" + id + "." + plain_name();
    } else if (accept('(')) {
      return call(name);
    }
    quantities.push_back(name);
    return make(Kind::quantity, name, {});
  }

  NodePtr call(const std::string& name) {
    const int arity = (name == "abs" || name == "log2") ? 1 : (name == "min" || name == "max") ? 2 : 0;
    if (arity == 0) fail("unknown function '" + name + "' (abs, log2, min, max)");
    std::vector<NodePtr> args{sum()};
    if (arity == 2) {
      if (!accept(',')) fail("expected ',' (" + name + " takes two arguments)");
      args.push_back(sum());
    }
    if (!accept(')')) fail("expected ')'");
    return make(Kind::call, name, std::move(args));
  }

  NodePtr number() {
    const char* begin = text_.c_str() + pos_;
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin || !std::isfinite(v)) fail("bad number");
    pos_ += static_cast<std::size_t>(end - begin);
    return make(Kind::number, "", {}, v);
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

double evaluate_node(const Expression::Node& n, const QuantityValues& values) {
  switch (n.kind) {
    case Kind::number:
      return n.number;
    case Kind::quantity: {
      const auto it = values.find(n.name);
      if (it == values.end()) throw Error("unknown quantity '" + n.name + "'");
      return it->second;
    }
    case Kind::negate:
      return -evaluate_node(*n.args[0], values);
    case Kind::call: {
      const double a = evaluate_node(*n.args[0], values);
      if (n.name == "abs") return std::fabs(a);
      if (n.name == "log2") return std::log2(a);
      const double b = evaluate_node(*n.args[1], values);
      return n.name == "min" ? std::fmin(a, b) : std::fmax(a, b);
    }
    case Kind::binary:
    case Kind::compare:
      break;
  }
  const double a = evaluate_node(*n.args[0], values);
  const double b = evaluate_node(*n.args[1], values);
  const std::string& op = n.name;
  if (op == "+") return a + b;
  if (op == "-") return a - b;
  if (op == "*") return a * b;
  if (op == "/") return a / b;
  bool holds = false;  // NaN compares false everywhere: a check on a missing number fails
  if (op == "<") holds = a < b;
  else if (op == "<=") holds = a <= b;
  else if (op == ">") holds = a > b;
  else if (op == ">=") holds = a >= b;
  else if (op == "==") holds = a == b;
  else if (op == "!=") holds = a != b && !std::isnan(a) && !std::isnan(b);
  return holds ? 1.0 : 0.0;
}

}  // namespace

Expression Expression::parse_value(const std::string& text) {
  Parser p(text);
  Expression e;
  e.text_ = text;
  e.root_ = p.parse(false);
  e.quantities_ = std::move(p.quantities);
  return e;
}

Expression Expression::parse_check(const std::string& text) {
  Parser p(text);
  Expression e;
  e.text_ = text;
  e.root_ = p.parse(true);
  e.quantities_ = std::move(p.quantities);
  e.is_check_ = true;
  return e;
}

double Expression::evaluate(const QuantityValues& values) const { return evaluate_node(*root_, values); }

}  // namespace sglab::lessons
