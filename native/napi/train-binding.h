#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterTrain(Napi::Env env, Napi::Object exports);
}
