#pragma once
// The app's keyboard shortcuts (issue 11, "Keys and undo"): which key index a
// shortcut reads, and the one table of app-wide shortcuts that Help → Keyboard
// and the README list (a test checks the README against it). What space and the
// arrows do in a lab, each lab says in Lab::keyboard_help().

#include <vector>

#include "ui/lab.hpp"

namespace sglab::ui {

/// The keys a shortcut uses.
enum class Key { kSpace, kLeft, kRight, kEscape, kY, kZ, kS, kP, kF1, kF11 };

/// The key's index in io.KeysDown. Keys ImGui 1.86 names go through its key map
/// (the backend fills io.KeyMap); the others are GLFW key codes, which the GLFW
/// backend writes into io.KeysDown (letters are their upper-case ASCII code).
/// The tests' null backend maps its keys the same way (tests/ui/null_backend.hpp).
int key_index(Key key);
/// True on the frame `key` went down (and, with `repeat`, while it auto-repeats).
bool key_pressed(Key key, bool repeat = false);

/// The app-wide shortcuts, in the order Help → Keyboard lists them.
const std::vector<KeyHelp>& app_shortcuts();

}  // namespace sglab::ui
