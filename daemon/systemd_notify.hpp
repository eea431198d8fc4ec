// systemd Type=notify: READY, STATUS, STOPPING, RELOADING and WATCHDOG. Each call is a no-op
// when spotd does not run under systemd (NOTIFY_SOCKET unset).
#pragma once

#include <chrono>
#include <string>

namespace spot::daemon::systemd {

void ready(const std::string& status);
void status(const std::string& status);
void reloading();
void stopping();
void watchdog();
// Half of WATCHDOG_USEC when the unit sets WatchdogSec=, otherwise zero.
std::chrono::milliseconds watchdog_interval();

}  // namespace spot::daemon::systemd
