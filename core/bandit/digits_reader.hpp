#pragma once
// Reader of the 1,797 8×8 handwritten digits that Debian ships in
// python3-sklearn (sklearn/datasets/data/digits.csv.gz: gzip CSV, one image a
// line, 64 pixel columns 0..16 then the label 0..9). The data is the UCI
// "Optical Recognition of Handwritten Digits" set as distributed with
// scikit-learn (BSD-3); see README.md.

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace sglab::bandit {

struct DigitsData {
  Eigen::MatrixXd pixels;   ///< rows = images, 64 columns, raw values 0..16
  std::vector<int> labels;  ///< 0..9, one per row
};

/// The usual install paths of digits.csv.gz (Debian/Ubuntu dist-packages, pip site-packages).
std::vector<std::string> default_digits_paths();

/// The first existing default path; throws sglab::Error listing the paths
/// searched and how to get the file (apt-get install python3-sklearn, --digits FILE, --data synthetic).
std::string find_digits_file();

/// Reads and checks the whole file: every line has 65 integer-valued fields,
/// pixels in [0, 16], labels in [0, 9]. A truncated gzip stream, a short or
/// malformed line, or an empty file throws sglab::Error naming the file and line.
DigitsData read_digits_file(const std::string& path);

}  // namespace sglab::bandit
