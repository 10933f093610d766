#pragma once
// The one table of labs the shell loops over (DESIGN.md: adding a lab is one
// folder plus one line in lab_registry.cpp). Order = tab order; a lab may use
// the labs registered before it (LabEnvironment::find).

#include <memory>
#include <vector>

#include "ui/lab.hpp"

namespace sglab::ui {

struct LabEntry {
  const char* id;  ///< must equal the lab's id()
  std::unique_ptr<Lab> (*make)(const LabEnvironment& env);
};

const std::vector<LabEntry>& lab_registry();

}  // namespace sglab::ui
