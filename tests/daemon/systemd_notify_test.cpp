// spotd speaks the sd_notify protocol: READY once started, WATCHDOG pings while it runs.
#include "daemon/daemon_fixture.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace spot::test;

TEST_CASE("spotd notifies systemd: READY, STATUS and WATCHDOG", "[daemon][systemd]") {
    DaemonFixture f;
    write_runs(f.runs, 2);
    f.write_config(f.pipeline_yaml("p", "", "    poll_interval: 1s\n"), "admin_listen: ''\n");
    const auto socket_path = f.dir / "notify.sock";
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", socket_path.c_str());
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    timeval tv{0, 200'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

    ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "200000", 1);  // ping every 100 ms
    Process spotd({SPOTD, "--config", f.config.string()}, f.dir.path());
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");

    std::string all;
    REQUIRE(eventually(
        [&] {
            char buf[512];
            ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
            if (n > 0) {
                all.append(buf, static_cast<std::size_t>(n)).append("\n");
            }
            return all.find("READY=1") != std::string::npos &&
                   all.find("WATCHDOG=1") != std::string::npos;
        },
        std::chrono::seconds(10)));
    CHECK(all.find("STATUS=1 pipeline(s)") != std::string::npos);
    spotd.signal(SIGTERM);
    CHECK(spotd.wait(std::chrono::seconds(20)) == 0);
    ::close(fd);
}
