#pragma once
// The lesson panel (issue 11): a strip above the labs showing the open lesson's
// step — title, "try this" and "look for" texts with their live numbers filled
// from the lab's current state, previous / next, the step's locked controls
// held at the step's values, and predict-then-reveal (the step's lab is hidden
// until the student enters a prediction; then prediction and measurement are
// shown side by side).
//
// Live numbers come from core/lessons/lab_quantities.hpp, computed in the
// background on the lab's current scenario whenever it changes — the same
// numbers `sglab-cli lesson --check` evaluates.

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/lessons/lesson.hpp"
#include "core/lessons/lesson_step_result.hpp"
#include "ui/lab.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

class LessonPanel {
 public:
  /// What the panel needs from the shell.
  struct Hooks {
    std::function<void(const config::Scenario&)> apply;  ///< load a scenario into the labs, show its lab
    std::function<Lab*(const std::string& id)> find;     ///< a lab by id
    std::function<config::Scenario()> current;           ///< every lab's state (AppShell::current_scenario)
  };
  /// `assets_dir` holds lessons/ (listed by the Open lesson dialog).
  LessonPanel(Hooks hooks, std::string assets_dir, int threads);
  ~LessonPanel();
  LessonPanel(const LessonPanel&) = delete;
  LessonPanel& operator=(const LessonPanel&) = delete;

  /// Opens a lesson at its first step. Throws sglab::Error for a bad file.
  void open(const std::string& path);
  void close();
  bool active() const { return lesson_.has_value(); }
  const lessons::Lesson* lesson() const { return lesson_ ? &*lesson_ : nullptr; }
  int step() const { return step_; }
  void go_to(int step);

  /// Polls the background numbers, holds locked controls; call every frame.
  void tick(UiContext& ui);
  /// Draws the strip (nothing without a lesson).
  void draw(UiContext& ui);
  /// True while the step's lab must stay hidden (a prediction is pending).
  bool hides(const std::string& lab_id) const;
  /// Drawn instead of a hidden lab.
  void draw_hidden_notice(UiContext& ui) const;
  bool busy() const { return pending_.valid(); }

  /// File → Open lesson: the next draw_open_dialog() opens the dialog.
  void request_open_dialog() { open_dialog_ = true; }
  /// The dialog (shipped lessons and a path field); returns the chosen file once.
  std::optional<std::string> draw_open_dialog(UiContext& ui);

  /// For tests: enter a prediction and reveal.
  void predict(double value);
  /// The step resolved against the last live numbers (nullptr before they arrive).
  const lessons::StepResult* result() const { return result_ ? &*result_ : nullptr; }
  const std::string& error() const { return error_; }

 private:
  struct Computation {
    std::atomic<bool> cancel{false};
  };
  const lessons::LessonStep& current() const { return lesson_->steps[static_cast<std::size_t>(step_)]; }
  config::Scenario lab_state() const;
  void start_computation(const config::Scenario& state);
  void hold_locks(config::Scenario& state, UiContext& ui);
  void draw_texts(UiContext& ui);
  void draw_predict(UiContext& ui);
  void draw_checks(UiContext& ui) const;

  Hooks hooks_;
  std::string assets_dir_;
  int threads_ = 0;
  bool open_dialog_ = false;
  bool collapsed_ = false;
  char path_buffer_[1024] = {};
  std::optional<lessons::Lesson> lesson_;
  int step_ = 0;
  std::optional<config::Scenario> baseline_;  ///< the lab's state right after the step loaded
  nlohmann::json computed_for_;               ///< the lab state the numbers are (being) computed for
  std::shared_ptr<Computation> computation_;
  std::future<lessons::QuantityValues> pending_;
  std::optional<lessons::StepResult> result_;
  std::string error_;
  // Predict-then-reveal, per step.
  std::vector<char> revealed_;
  std::vector<double> predictions_;
  double prediction_input_ = 0.0;
  bool prediction_typed_ = false;
};

}  // namespace sglab::ui
