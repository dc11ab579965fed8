import { runInputFuzzSuite } from "./input-fuzz.suite";
import { sqliteTestDatabase } from "@/test/services-harness";

runInputFuzzSuite("SQLite", sqliteTestDatabase);
