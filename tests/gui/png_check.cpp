// Checks a screenshot: the expected size, and not blank (the standard
// deviation of its grey levels above a floor). Usage:
//   png_check FILE WIDTH HEIGHT [MIN_STDDEV]
#include <stb_image.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: png_check FILE WIDTH HEIGHT [MIN_STDDEV]\n");
    return 2;
  }
  const int want_w = std::atoi(argv[2]), want_h = std::atoi(argv[3]);
  const double floor = argc > 4 ? std::atof(argv[4]) : 10.0;
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(argv[1], &w, &h, &channels, 3);
  if (pixels == nullptr) {
    std::fprintf(stderr, "png_check: cannot read %s\n", argv[1]);
    return 1;
  }
  double sum = 0, sum2 = 0;
  const long n = static_cast<long>(w) * h;
  for (long i = 0; i < n; ++i) {
    const double grey = 0.299 * pixels[3 * i] + 0.587 * pixels[3 * i + 1] + 0.114 * pixels[3 * i + 2];
    sum += grey;
    sum2 += grey * grey;
  }
  stbi_image_free(pixels);
  const double mean = sum / static_cast<double>(n);
  const double sd = std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - mean * mean));
  std::printf("png_check: %s is %dx%d, grey mean %.1f, std %.1f\n", argv[1], w, h, mean, sd);
  if (w != want_w || h != want_h) {
    std::fprintf(stderr, "png_check: expected %dx%d\n", want_w, want_h);
    return 1;
  }
  if (sd < floor) {
    std::fprintf(stderr, "png_check: image looks blank (std %.1f < %.1f)\n", sd, floor);
    return 1;
  }
  return 0;
}
