// sglab-cli lesson --check F: loads a lesson file (issue 11), runs each step's
// scenario headless through its lab's core analysis, fills every live number
// and evaluates every check; one line per step, exit 1 when a check fails.
// --show adds the filled texts and every quantity the step's lab published
// (what a teacher writing a lesson needs to see).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "app/cli/commands.hpp"
#include "app/cli/integer_flags.hpp"
#include "core/lessons/lab_quantities.hpp"
#include "core/lessons/lesson.hpp"
#include "core/lessons/lesson_step_result.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

struct LessonOptions {
  std::string file;
  bool show = false;
  int threads = 0;
};

// A check fails, or a text shows a number its scenario does not have ("n/a").
std::string failed_checks(const lessons::StepResult& r) {
  std::string out;
  if (r.try_this.find("n/a") != std::string::npos) out = "try shows a number that is not available (n/a)";
  if (r.look_for.find("n/a") != std::string::npos)
    out += (out.empty() ? "" : "; ") + std::string("look_for shows a number that is not available (n/a)");
  for (const auto& c : r.checks)
    if (!c.holds) out += (out.empty() ? "" : "; ") + ("'" + c.text + "' fails (" + c.values + ")");
  return out;
}

void print_details(const lessons::LessonStep& step, const lessons::StepResult& r,
                   const lessons::QuantityValues& values) {
  std::cout << "    try: " << r.try_this << "\n    look for: " << r.look_for << "\n";
  if (step.predict)
    std::cout << "    predict: " << step.predict->prompt << " -> " << step.predict->quantity.text() << " = "
              << lessons::format_quantity(r.predict_target) << "\n";
  for (const auto& c : r.checks)
    std::cout << "    check " << (c.holds ? "ok  " : "FAIL") << " " << c.text << "   (" << c.values << ")\n";
  std::cout << "    quantities:";
  for (const auto& [name, value] : values) std::cout << " " << name << "=" << lessons::format_quantity(value);
  std::cout << "\n";
}

void run_lesson(const LessonOptions& options, CommandContext& context) {
  const lessons::Lesson lesson = lessons::read_lesson(options.file);
  std::cout << lesson.title << " (" << lesson.steps.size() << " steps)\n";
  int failed = 0;
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const lessons::LessonStep& step = lesson.steps[i];
    const auto start = std::chrono::steady_clock::now();
    std::string line = "step " + std::to_string(i + 1) + "/" + std::to_string(lesson.steps.size()) + " [" +
                       step.scenario.lab + "] " + step.title + ": ";
    try {
      const lessons::QuantityValues values = lessons::compute_lab_quantities(step.scenario, options.threads);
      const lessons::StepResult r = lessons::resolve_step(step, values);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      char timing[48];
      std::snprintf(timing, sizeof timing, " (%.0f ms)", ms);
      if (failed_checks(r).empty()) {
        line += "ok, " + std::to_string(r.checks.size()) + " checks hold" + timing;
      } else {
        line += "FAIL: " + failed_checks(r) + timing;
        ++failed;
      }
      std::cout << line << "\n";
      if (options.show) print_details(step, r, values);
    } catch (const Error& e) {
      std::cout << line << "FAIL: " << e.what() << "\n";
      ++failed;
    }
    std::cout.flush();
  }
  std::cout << (failed == 0 ? "all " + std::to_string(lesson.steps.size()) + " steps pass"
                            : std::to_string(failed) + " of " + std::to_string(lesson.steps.size()) +
                                  " steps fail")
            << "\n";
  context.exit_code = failed == 0 ? 0 : 1;
}

}  // namespace

void add_lesson_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<LessonOptions>();
  CLI::App* cmd = app.add_subcommand(
      "lesson", "Check a lesson file: run each step's scenario, fill its live numbers, evaluate its checks");
  cmd->add_option("--check", options->file, "the lesson file (JSON) to check")->required();
  cmd->add_flag("--show", options->show, "also print each step's filled texts and every quantity its lab publishes");
  cmd->add_option("--threads", options->threads, "worker threads (0 = all cores; results do not depend on it)")
      ->check(integer_in(0, 1024))
      ->capture_default_str();
  cmd->callback([options, &context] {
    if (!context.parse_only) run_lesson(*options, context);
  });
}

}  // namespace sglab::cli
