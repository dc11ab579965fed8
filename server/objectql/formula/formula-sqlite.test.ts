import { sqliteFactory } from "../test-support/test-databases";
import { defineFormulaSuite } from "./formula.suite";

defineFormulaSuite(sqliteFactory);
