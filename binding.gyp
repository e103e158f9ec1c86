# node-gyp build of the same addon (CMakeLists.txt is the build of record): the same source list
# and fingerprint, from native/sources.cjs. `npm run build:gyp` builds it into build/Release too.
{
  "targets": [
    {
      "target_name": "xmrbench",
      "sources": ["<!@(node native/sources.cjs)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/include"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
        "XMR_SOURCE_FINGERPRINT=\"<!(node native/sources.cjs --fingerprint)\""
      ],
      "cflags!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=c++17"],
      "cflags": ["-O3"],
      # GCC 12 reports -Wmaybe-uninitialized inside its own AVX-512 headers at every intrinsic that
      # uses an _mm512_undefined_* value (GCC bug 105593; CMakeLists.txt silences it for GCC < 13).
      # gyp cannot test the compiler's version, so it is off for every compiler here, and
      # -Wno-unknown-warning-option keeps clang, which lacks the option, from warning about it.
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-Wno-unknown-warning-option", "-Wno-maybe-uninitialized"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_OPTIMIZATION_LEVEL": "3"
      }
    }
  ]
}
