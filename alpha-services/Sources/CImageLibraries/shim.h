// The distribution's image libraries (Debian/Ubuntu: libjpeg-dev (libjpeg-turbo), libpng-dev,
// libwebp-dev), installed by scripts/lib.sh (`require_image_libraries`) and the Dockerfile.
#include <stdio.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
