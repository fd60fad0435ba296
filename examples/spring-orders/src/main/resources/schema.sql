CREATE TABLE IF NOT EXISTS orders (
  id bigserial PRIMARY KEY,
  customer text NOT NULL,
  item text NOT NULL,
  quantity int NOT NULL,
  status text NOT NULL
);
