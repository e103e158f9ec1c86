#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterPerturb(Napi::Env env, Napi::Object exports);
}
