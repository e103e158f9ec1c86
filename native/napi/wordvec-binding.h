#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterWordvec(Napi::Env env, Napi::Object exports);
}
