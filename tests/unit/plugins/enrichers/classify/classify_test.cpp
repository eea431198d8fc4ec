#include "enrichers/classify/classify.hpp"

#include <catch2/catch.hpp>

using spot::enrichers::classify::classification_of;

TEST_CASE("classification splits the name on every separator, keeping positions",
          "[unit][classify]") {
    auto c = classification_of("Enceladus Standardization 2.1.0 dataset_x");
    CHECK(c.at("app") == "Enceladus Standardization 2.1.0 dataset_x");
    CHECK(c.at("type") == "Enceladus Standardization 2.1.0 dataset_x");
    CHECK(c.at("1") == "Enceladus");
    CHECK(c.at("2") == "Standardization");
    CHECK(c.at("3") == "2");
    CHECK(c.at("4") == "1");
    CHECK(c.at("5") == "0");
    CHECK(c.at("6") == "dataset");
    CHECK(c.at("7") == "x");
    CHECK(c.size() == 9);
}

TEST_CASE("classification keeps empty parts and handles empty names", "[unit][classify]") {
    auto c = classification_of("a--b;c%d,e");
    CHECK(c.at("1") == "a");
    CHECK(c.at("2") == "");
    CHECK(c.at("3") == "b");
    CHECK(c.at("6") == "e");
    auto empty = classification_of("");
    CHECK(empty.at("1") == "");
    CHECK(empty.size() == 3);
}
