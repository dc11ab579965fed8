import { describe, expect, it } from "vitest";
import { describeDatabaseError } from "./db-errors";

/** mysql2 errors carry the server's errno, a symbolic code and the server's message. */
function mysqlError(errno: number, code: string, message: string) {
  return Object.assign(new Error(message), { errno, code, sqlMessage: message, sqlState: "23000" });
}

describe("describeDatabaseError (MySQL / MariaDB)", () => {
  it("recognises duplicate keys and names the candidate columns of a uq_<object>_<field> index", () => {
    const mariadb = describeDatabaseError(mysqlError(1062, "ER_DUP_ENTRY", "Duplicate entry 'a@b.c' for key 'uq_sales_order_email'"));
    expect(mariadb.kind).toBe("unique");
    expect(mariadb.columns).toEqual(["order_email", "email"]);
    const mysql8 = describeDatabaseError(mysqlError(1062, "ER_DUP_ENTRY", "Duplicate entry 'x' for key 'obj_account.uq_account_code'"));
    expect(mysql8.columns).toEqual(["code"]);
    expect(describeDatabaseError(mysqlError(1062, "ER_DUP_ENTRY", "Duplicate entry 'x' for key 'PRIMARY'")).columns).toEqual([]);
  });

  it("recognises NOT NULL, foreign key and check violations", () => {
    expect(describeDatabaseError(mysqlError(1048, "ER_BAD_NULL_ERROR", "Column 'name' cannot be null"))).toMatchObject({ kind: "not_null", columns: ["name"] });
    expect(describeDatabaseError(mysqlError(1364, "ER_NO_DEFAULT_FOR_FIELD", "Field 'title' doesn't have a default value"))).toMatchObject({ kind: "not_null", columns: ["title"] });
    const fk = describeDatabaseError(mysqlError(1452, "ER_NO_REFERENCED_ROW_2",
      "Cannot add or update a child row: a foreign key constraint fails (`t`.`obj_contact`, CONSTRAINT `fk_contact_employer` FOREIGN KEY (`employer`) REFERENCES `obj_company` (`id`) ON DELETE SET NULL)"));
    expect(fk).toMatchObject({ kind: "foreign_key", columns: ["employer"] });
    expect(describeDatabaseError(mysqlError(1451, "ER_ROW_IS_REFERENCED_2", "Cannot delete or update a parent row")).kind).toBe("foreign_key");
    expect(describeDatabaseError(mysqlError(4025, "ER_CONSTRAINT_FAILED", "CONSTRAINT `obj_x.data` failed for `t`.`obj_x`")).kind).toBe("check");
    expect(describeDatabaseError(mysqlError(1406, "ER_DATA_TOO_LONG", "Data too long for column 'x' at row 1")).kind).toBe("other");
  });
});
