#pragma once
// The one way long core work stops early (issue 8): the owner sets the
// WorkControl's cancel flag, core loops check it between units of work and
// throw sglab::Cancelled, and exactly one boundary catches it — the job
// runner's worker (core/jobs/job_runner.cpp), which counts the job as
// cancelled and publishes nothing. Why an exception rather than a result
// status or an "incomplete" result: a cancelled computation has no result
// worth keeping, and every caller between a core loop and the runner would
// otherwise have to test and forward a status (the checks the labs used to
// forget, publishing stale partial snapshots). Cancelled is deliberately not an
// sglab::Error, so `catch (const Error&)` for invalid input never swallows it.

#include <exception>

namespace sglab {

class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace sglab
