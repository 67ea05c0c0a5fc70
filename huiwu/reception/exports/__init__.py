"""Excel exports of the reception registers."""
