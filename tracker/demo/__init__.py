"""The demo province: new Thái Nguyên with a generated Sông Công inventory."""
